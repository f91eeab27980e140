// covid-chest-xray in its real layout: metadata.csv with the repository's header, images/ and volumes/.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { makeJpeg, makePng } from "@cxr/imaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../src/import-dataset";
import { DatasetLayoutError } from "../src/importers/layout";
import { jobReport } from "../src/jobs";
import { rowCounts, setUp, type TestEnv } from "./helpers";

const HEADER =
  "patientid,offset,sex,age,finding,RT_PCR_positive,survival,intubated,intubation_present,went_icu,in_icu,needed_supplemental_O2,extubated,temperature,pO2_saturation,leukocyte_count,neutrophil_count,lymphocyte_count,view,modality,date,location,folder,filename,doi,url,license,clinical_notes,other_notes,Unnamed: 29";

// patientid,offset,sex,age,finding,RT_PCR_positive,survival,intubated,intubation_present,went_icu,in_icu,O2,extubated,temperature,pO2,leuko,neutro,lympho,view,modality,date,location,folder,filename,doi,url,license,clinical_notes,other_notes,extra
const ROWS = [
  `2,0,M,65,Pneumonia/Viral/COVID-19,Y,Y,N,N,Y,N,Y,,38.2,92,5.5,4.1,0.9,PA,X-ray,"January 22, 2020","Cho Ray Hospital, Ho Chi Minh City, Vietnam",images,auntminnie-a-2020_01_28_23_51_6665_2020_01_28_Vietnam_coronavirus.jpeg,10.1056/NEJMc2001272,https://www.nejm.org/doi/full/10.1056/NEJMc2001272,,"fever, cough",,`,
  `2,3,M,65,Pneumonia/Viral/COVID-19,Y,Y,N,N,Y,N,Y,,,,,,,PA,X-ray,"January 25, 2020","Cho Ray Hospital, Ho Chi Minh City, Vietnam",images,auntminnie-b-2020_01_28_23_51_6665_2020_01_28_Vietnam_coronavirus.jpeg,,,,,,`,
  `7,,F,40,Pneumonia/Bacterial/Streptococcus,,,,,,,,,,,,,,AP,X-ray,2017,,images,streptococcus-pneumoniae-pneumonia-1.jpg,,,CC BY-NC-SA,,,`,
  `9,,,,No Finding,,,,,,,,,,,,,,PA,X-ray,03/16/2020,,images,normal-1.png,,,,,,`,
  `10,,M,55,todo,,,,,,,,,,,,,,PA,X-ray,,,images,todo-1.png,,,,,,`,
  `11,,F,70,Pneumonia/Viral/COVID-19,,,,,,,,,,,,,,PA,X-ray,,,images,missing-file.jpg,,,,,,`,
  `12,,M,33,Pneumonia/Viral/COVID-19,,,,,,,,,,,,,,PA,X-ray,,,images,broken.jpg,,,,,,`,
  `13,,F,61,Pneumonia/Viral/COVID-19,,,,,,,,,,,,,,Axial,CT,2020,,volumes,coronacases_org_001.png,,,,,,`,
  `14,,M,50,Pneumonia/Viral/SARS,,,,,,,,,,,,,,PA,X-ray,2004,,images,sars-copy-of-normal.png,,,,,,`,
];

let env: TestEnv;
let root: string;

beforeAll(async () => {
  env = await setUp();
  root = path.join(env.dir, "covid-chest-xray");
  await mkdir(path.join(root, "images"), { recursive: true });
  await mkdir(path.join(root, "volumes"), { recursive: true });
  const images = path.join(root, "images");
  await writeFile(
    path.join(images, "auntminnie-a-2020_01_28_23_51_6665_2020_01_28_Vietnam_coronavirus.jpeg"),
    await makeJpeg(320, 300, 1),
  );
  await writeFile(
    path.join(images, "auntminnie-b-2020_01_28_23_51_6665_2020_01_28_Vietnam_coronavirus.jpeg"),
    await makeJpeg(320, 300, 2),
  );
  await writeFile(path.join(images, "streptococcus-pneumoniae-pneumonia-1.jpg"), await makeJpeg(200, 240, 3));
  const normal = await makePng(256, 256, 4);
  await writeFile(path.join(images, "normal-1.png"), normal);
  await writeFile(path.join(images, "sars-copy-of-normal.png"), normal); // same bytes as normal-1.png
  await writeFile(path.join(images, "todo-1.png"), await makePng(64, 64, 5));
  await writeFile(path.join(images, "broken.jpg"), (await makeJpeg(200, 200, 6)).subarray(0, 300));
  await writeFile(path.join(root, "volumes", "coronacases_org_001.png"), await makePng(128, 128, 7));
  await writeFile(path.join(root, "metadata.csv"), [HEADER, ...ROWS].join("\n") + "\n");
});
afterAll(() => env.close());

describe("Cohen covid-chest-xray importer", () => {
  it("refuses a CSV with missing columns before creating anything", async () => {
    const bad = path.join(env.dir, "bad-csv");
    await mkdir(bad, { recursive: true });
    await writeFile(path.join(bad, "metadata.csv"), "patientid,sex,age,view\n1,M,40,PA\n");
    const before = await rowCounts(env);
    const attempt = importDataset(env.ctx, { format: "cohen", path: bad });
    await expect(attempt).rejects.toBeInstanceOf(DatasetLayoutError);
    await expect(attempt).rejects.toThrow(/lacks the columns finding, modality, filename/);
    expect(await rowCounts(env)).toEqual(before);
  });

  it("imports X-ray rows with their clinical metadata and labels, and reports what it skipped and why", async () => {
    const { job } = await importDataset(env.ctx, { format: "cohen", path: root, modalities: ["X-ray"] });
    expect(job).toMatchObject({
      status: "SUCCEEDED",
      total: 9,
      processed: 9,
      imported: 4,
      duplicates: 1,
      skipped: 4,
      failed: 0,
    });

    const images = await env.t.db.image.findMany({
      include: { study: { include: { patient: true } }, reads: { include: { labelClass: true } } },
      orderBy: { filename: "asc" },
    });
    expect(images).toHaveLength(4);
    const first = images.find((i) => i.filename?.startsWith("auntminnie-a"));
    expect(first).toMatchObject({
      source: "DATASET_COHEN",
      status: "PENDING",
      modality: "DX",
      viewPosition: "PA",
      offsetDays: 0,
      ageYears: 65,
      finding: "Pneumonia/Viral/COVID-19",
      rtPcrPositive: true,
      survival: true,
      intubated: false,
      wentIcu: true,
      neededSupplementalO2: true,
      extubated: null,
      temperatureC: 38.2,
      po2Saturation: 92,
      leukocyteCount: 5.5,
      lymphocyteCount: 0.9,
      location: "Cho Ray Hospital, Ho Chi Minh City, Vietnam",
      folder: "images",
      doi: "10.1056/NEJMc2001272",
      clinicalNotes: "fever, cough",
      width: 320,
      height: 300,
    });
    expect(first?.acquiredAt?.toISOString().slice(0, 10)).toBe("2020-01-22");
    expect(first?.study.patient).toMatchObject({ externalId: "2", sex: "MALE", source: "DATASET_COHEN" });
    expect(first?.reads.map((r) => [r.source, r.labelClass.key])).toEqual([["IMPORT", "covid-19"]]);
    // patient 2 at two time points: one patient, two studies
    const patient2 = images.filter((i) => i.study.patient.externalId === "2");
    expect(new Set(patient2.map((i) => i.study.patient.id)).size).toBe(1);
    expect(new Set(patient2.map((i) => i.studyId)).size).toBe(2);
    const strep = images.find((i) => i.filename?.startsWith("strep"));
    expect(strep).toMatchObject({ viewPosition: "AP", acquiredAtText: "2017", license: "CC BY-NC-SA" });
    expect(strep?.reads[0]?.labelClass.key).toBe("pneumonia");
    // the SARS row's image is byte-identical to normal-1.png: stored once, linked, labelled with both findings
    const normal = images.find((i) => i.filename === "normal-1.png");
    expect(normal?.reads.map((r) => r.labelClass.key).sort()).toEqual(["normal", "pneumonia"]);

    const report = await jobReport(env.t.db, job.id);
    const byReason = Object.fromEntries(report.problems.map((p) => [p.reason, p]));
    expect(byReason.MISSING_FILE?.examples[0]?.key).toBe("images/missing-file.jpg");
    expect(byReason.UNREADABLE_IMAGE?.examples[0]?.message).toMatch(/truncated or damaged/);
    expect(byReason.UNKNOWN_FINDING?.examples[0]?.message).toMatch(/finding "todo" names no class/);
    expect(byReason.FILTERED?.examples[0]?.message).toMatch(/modality CT is not X-ray/);
    expect(env.queued.sort()).toEqual(images.map((i) => i.id).sort());
    // original + master + preview per stored image, each distinct content stored once (a PNG preview can be
    // byte-identical to its original)
    const keys = new Set(images.flatMap((i) => [i.originalSha256, i.masterSha256, i.previewSha256]));
    expect(keys.size).toBeGreaterThanOrEqual(11);
    expect((await rowCounts(env)).objects).toBe(keys.size);
    expect(await env.t.db.storedObject.count()).toBe(keys.size);
  });

  it("is idempotent: a second run adds no row and no object", async () => {
    const before = await rowCounts(env);
    const { job } = await importDataset(env.ctx, { format: "cohen", path: root, modalities: ["X-ray"] });
    expect(job).toMatchObject({ status: "SUCCEEDED", imported: 0, duplicates: 5 });
    expect(await rowCounts(env)).toEqual({ ...before, jobs: before.jobs + 1 });
  });

  it("filters like the source report's notebook (PA view only) and maps findings onto another label set", async () => {
    const { job } = await importDataset(env.ctx, {
      format: "cohen",
      path: root,
      views: ["PA"],
      labelSet: "covid-binary",
    });
    const report = await jobReport(env.t.db, job.id);
    const filtered = report.problems.find((p) => p.reason === "FILTERED");
    expect(filtered?.count).toBe(2); // the AP row and the axial CT
    const unknown = report.problems.find((p) => p.reason === "UNKNOWN_FINDING");
    expect(unknown?.examples.map((e) => e.message)).toContain(
      'finding "Pneumonia/Viral/SARS" maps to "pneumonia", which label set covid-binary lacks',
    );
  });
});
