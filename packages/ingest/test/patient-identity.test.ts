// A DICOM file cannot take over another patient's study or rewrite a patient's demographics: a file whose
// StudyInstanceUID names another patient's study is refused, and stored sex / birth year are only filled, never
// overwritten (a disagreeing file is audited). Files written by the test DICOM writer.
import { craftNativeImage } from "@cxr/imaging/testing";
import { describe, expect, it } from "vitest";
import { ingestUploadedFiles } from "../src/upload";
import { objectCount, setUpForFile } from "./helpers";

const env = setUpForFile();

const STUDY_A = "1.2.826.0.1.3680043.10.77.1";
function dicom(seed: number, patientId: string, studyUid: string, sex?: string, birthDate?: string): Buffer {
  return craftNativeImage(16, 16, seed, [
    { tag: "00100020", vr: "LO", value: patientId },
    { tag: "0020000d", vr: "UI", value: studyUid },
    ...(birthDate ? [{ tag: "00100030", vr: "DA", value: birthDate }] : []),
    ...(sex ? [{ tag: "00100040", vr: "CS", value: sex }] : []),
  ]);
}
const patient = (externalId: string) =>
  env.t.db.patient.findFirstOrThrow({ where: { externalId }, include: { studies: true } });

describe("patient identity of imported DICOM", () => {
  it("refuses a file whose StudyInstanceUID belongs to another patient's study, changing nothing", async () => {
    const [first] = await ingestUploadedFiles(env.ctx, [
      { name: "a.dcm", bytes: dicom(1, "PAT-A", STUDY_A, "F", "19600314") },
    ]);
    expect(first?.status).toBe("IMPORTED");
    const before = { images: await env.t.db.image.count(), objects: await objectCount(env.storage) };

    const [crafted] = await ingestUploadedFiles(env.ctx, [
      { name: "crafted.dcm", bytes: dicom(2, "PAT-B", STUDY_A, "M", "19900101") },
    ]);
    expect(crafted).toMatchObject({ status: "REJECTED", imageIds: [] });
    expect(crafted?.message).toMatch(
      /^crafted\.dcm: its Study Instance UID .* belongs to a study of another patient; the file was not imported/,
    );
    expect(crafted?.message).not.toContain("PAT-A");
    expect(await env.t.db.image.count()).toBe(before.images);
    expect(await objectCount(env.storage)).toBe(before.objects);
    expect(await env.t.db.patient.count({ where: { externalId: "PAT-B" } })).toBe(0);
    const a = await patient("PAT-A");
    expect(a).toMatchObject({ sex: "FEMALE", birthYear: 1960 });
    expect(a.studies.map((s) => s.studyInstanceUid)).toEqual([STUDY_A]);
  });

  it("never overwrites stored sex or birth year, fills them when missing, and audits a disagreement", async () => {
    const [other] = await ingestUploadedFiles(env.ctx, [
      { name: "a2.dcm", bytes: dicom(3, "PAT-A", `${STUDY_A}.2`, "M", "19900101") },
    ]);
    expect(other?.status).toBe("IMPORTED"); // the patient's own new study is fine
    expect(await patient("PAT-A")).toMatchObject({ sex: "FEMALE", birthYear: 1960 });
    const audit = await env.t.db.auditEvent.findFirstOrThrow({
      where: { action: "patient.demographics_mismatch" },
    });
    expect(audit).toMatchObject({
      entityType: "Patient",
      entityId: (await patient("PAT-A")).id,
      before: { sex: "FEMALE", birthYear: 1960 },
      after: { sex: "MALE", birthYear: 1990 },
    });
    expect(audit.reason).toMatch(/a2\.dcm/);

    await ingestUploadedFiles(env.ctx, [{ name: "n1.dcm", bytes: dicom(4, "PAT-N", `${STUDY_A}.3`) }]);
    expect(await patient("PAT-N")).toMatchObject({ sex: null, birthYear: null });
    await ingestUploadedFiles(env.ctx, [
      { name: "n2.dcm", bytes: dicom(5, "PAT-N", `${STUDY_A}.3`, "M", "19700101") },
    ]);
    expect(await patient("PAT-N")).toMatchObject({ sex: "MALE", birthYear: 1970 });
    expect(await env.t.db.auditEvent.count({ where: { action: "patient.demographics_mismatch" } })).toBe(1);
  });
});
