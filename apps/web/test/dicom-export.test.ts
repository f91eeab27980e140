// DICOM exports of a reader's read of a real DICOM image (pydicom's CT_small.dcm, ingested as an upload is):
// the SR and SEG downloads pass dicom3tools' dciodvfy with no errors and DCMTK's dsrdump reads the SR; both are
// stored in a real Orthanc over STOW-RS and retrieved back (QIDO-RS, WADO-RS); the refusals (an image that is
// not DICOM, a read without ROIs, an annotator, no PACS configured). And the PNG masks zip, decoded with sharp.
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { DicomwebClient } from "@cxr/ingest/dicomweb-client";
import { startOrthanc, type Orthanc } from "@cxr/ingest/testing/orthanc";
import { ingestUploadedFiles } from "@cxr/ingest/upload";
import { LocalStorage } from "@cxr/storage";
import sharp from "sharp";
import yauzl from "yauzl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportDownload } from "~/server/services/exports/downloads";
import { pushToPacs } from "~/server/services/exports/dicom";
import { callerAs, codeOf, sessionFor, useReviewFixture, useSeededDatabase } from "./helpers";

const CT_SMALL = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm";

const t = useSeededDatabase();
const fx = useReviewFixture(t, { count: 2, tag: "dicom-export", size: 64 });
const dir = mkdtempSync(path.join(os.tmpdir(), "cxr-dicom-export-"));
const storage = new LocalStorage(path.join(dir, "objects"));
let dicomImageId = "";
let emptyReadId = "";
let orthanc: Orthanc;

beforeAll(async () => {
  const [uploaded] = await ingestUploadedFiles({ db: t.db, storage }, [
    { name: "CT_small.dcm", bytes: readFileSync(CT_SMALL) },
  ]);
  dicomImageId = uploaded!.imageIds[0]!;
  const labelSet = await t.db.labelSet.findUniqueOrThrow({ where: { name: "cxr-4class" } });
  const classes = Object.fromEntries(
    (await t.db.labelClass.findMany({ where: { labelSetId: labelSet.id } })).map((c) => [c.key, c.id]),
  );
  const reader = t.users.radiologist;
  const empty = await t.db.read.create({
    data: { imageId: dicomImageId, labelSetId: labelSet.id, classId: classes.normal!, readerId: reader.id },
  });
  emptyReadId = empty.id;
  const read = await t.db.read.create({
    data: {
      imageId: dicomImageId,
      labelSetId: labelSet.id,
      classId: classes["covid-19"]!,
      readerId: reader.id,
      supersedesId: empty.id,
      createdAt: new Date(Date.now() + 1000),
    },
  });
  await t.db.annotation.createMany({
    data: [
      // columns 32..63, rows 16..47 of the 128 x 128 CT
      {
        imageId: dicomImageId,
        readId: read.id,
        authorId: reader.id,
        shape: "RECTANGLE",
        points: [
          [0.25, 0.125],
          [0.5, 0.375],
        ],
      },
      {
        imageId: dicomImageId,
        readId: read.id,
        authorId: reader.id,
        classId: classes["lung-opacity"]!,
        shape: "BRUSH",
        points: [
          [0.7, 0.8],
          [0.9, 0.8],
        ],
        strokeWidth: 0.05,
      },
      // the masks zip: a rectangle on a fixture image (in the model's selection), columns 16..31, rows 8..23
      {
        imageId: fx.imageIds[0]!,
        authorId: reader.id,
        classId: fx.classIds.pneumonia!,
        shape: "RECTANGLE",
        points: [
          [0.25, 0.125],
          [0.5, 0.375],
        ],
      },
    ],
  });
  orthanc = await startOrthanc(path.join(dir, "orthanc"));
}, 60_000);

afterAll(async () => {
  await orthanc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const get = (file: string, query: string, user: Parameters<typeof sessionFor>[0]) =>
  exportDownload(file, new Request(`https://cxr.test/api/exports/${file}?${query}`), {
    db: t.db,
    session: sessionFor(user),
    storage,
  });

function dciodvfy(bytes: Uint8Array, name: string) {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  const run = spawnSync("dciodvfy", [file], { encoding: "utf8" });
  if (run.error) throw new Error("dciodvfy is missing: apt-get install dicom3tools");
  const lines = `${run.stdout}${run.stderr}`.split("\n");
  return {
    file,
    errors: lines.filter((l) => l.startsWith("Error")),
    warnings: lines.filter((l) => l.startsWith("Warning")),
  };
}

describe("DICOM SR and SEG of a read", () => {
  it("downloads an SR that dciodvfy passes and dsrdump reads with the finding and the ROI's pixels", async () => {
    const response = await get("dicom-sr.dcm", `imageId=${dicomImageId}`, t.users.radiologist);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/dicom");
    expect(response.headers.get("content-disposition")).toContain(`filename="sr-${dicomImageId}.dcm"`);
    const { file, errors, warnings } = dciodvfy(new Uint8Array(await response.arrayBuffer()), "sr.dcm");
    expect(errors).toEqual([]);
    // the only warnings: the label set's local coding scheme, which no dictionary knows
    expect(warnings.filter((w) => !w.includes("<99CXR>"))).toEqual([]);
    const dump = execFileSync("dsrdump", ["+Pl", file], { encoding: "utf8" });
    expect(dump).toMatch(/"Qualitative Evaluations"[\s\S]*\(covid-19,99CXR,"COVID-19"\)/);
    expect(dump).toContain("(POLYLINE,32/16,64/16,64/48,32/48,32/16)");
    expect(dump).toContain('(lung-opacity,99CXR,"Lung opacity")');
    expect(dump).toContain(
      `"Person Observer Name")="${t.users.radiologist.name.split(" ").reverse().join("^")}"`,
    );
  });

  it("downloads a SEG that dciodvfy passes", async () => {
    const response = await get("dicom-seg.dcm", `imageId=${dicomImageId}`, t.users.admin);
    expect(response.status).toBe(200);
    const { errors, warnings } = dciodvfy(new Uint8Array(await response.arrayBuffer()), "seg.dcm");
    expect(errors).toEqual([]);
    expect(warnings.filter((w) => !w.includes("<99CXR>"))).toEqual([]);
  });

  it("stores both in a real Orthanc over STOW-RS, found by QIDO-RS and retrieved by WADO-RS", async () => {
    const result = await pushToPacs(
      { db: t.db, storage: () => storage },
      { imageId: dicomImageId },
      orthanc.dicomweb,
      t.users.radiologist,
    );
    expect(result.stored.map((s) => s.kind)).toEqual(["SR", "SEG"]);
    const image = await t.db.image.findUniqueOrThrow({
      where: { id: dicomImageId },
      include: { study: true },
    });
    const client = new DicomwebClient(orthanc.dicomweb);
    const instances = await client.searchInstances(image.study.studyInstanceUid!);
    for (const stored of result.stored) {
      const ref = instances.find((i) => i.sopInstanceUid === stored.sopInstanceUid);
      expect(ref, `${stored.kind} in Orthanc's study`).toBeDefined();
      const bytes = await client.retrieveInstance(ref!);
      expect(bytes.subarray(128, 132).toString("latin1")).toBe("DICM");
      expect(bytes.includes(Buffer.from(stored.sopInstanceUid))).toBe(true);
    }
    const audit = await t.db.auditEvent.findFirst({
      where: { action: "image.dicom_pushed", entityId: dicomImageId },
    });
    expect(audit?.actorId).toBe(t.users.radiologist.id);
  });

  it("refuses an image that is not DICOM, a read without ROIs, an annotator, and a push with no PACS", async () => {
    const png = await get("dicom-sr.dcm", `imageId=${fx.imageIds[0]}`, t.users.radiologist);
    expect(png.status).toBe(400);
    expect(await png.text()).toMatch(/did not come from DICOM/);
    const noRois = await get("dicom-seg.dcm", `imageId=${dicomImageId}&readId=${emptyReadId}`, t.users.admin);
    expect(noRois.status).toBe(400);
    expect(await noRois.text()).toMatch(/no regions of interest/);
    expect((await get("dicom-sr.dcm", `imageId=${dicomImageId}`, t.users.annotator)).status).toBe(403);
    const annotator = callerAs(t.db, sessionFor(t.users.annotator));
    expect(await codeOf(annotator.exports.pushToPacs({ imageId: dicomImageId }))).toBe("FORBIDDEN");
    delete process.env.PACS_DICOMWEB_URL;
    const radiologist = callerAs(t.db, sessionFor(t.users.radiologist));
    expect(await codeOf(radiologist.exports.pushToPacs({ imageId: dicomImageId }))).toBe(
      "PRECONDITION_FAILED",
    );
  });
});

async function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  const entries = await new Promise<yauzl.Entry[]>((resolve, reject) => {
    const list: yauzl.Entry[] = [];
    zip.on("entry", (entry: yauzl.Entry) => {
      list.push(entry);
      zip.readEntry();
    });
    zip.on("end", () => resolve(list));
    zip.on("error", reject);
    zip.readEntry();
  });
  const out = new Map<string, Buffer>();
  for (const entry of entries) {
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    out.set(entry.fileName, Buffer.concat(chunks));
  }
  return out;
}

describe("PNG masks", () => {
  it("zips one PNG per image and class, 255 inside the region and 0 outside", async () => {
    const query = `modelVersionId=${fx.modelVersionId}&scope=predicted`;
    const response = await get("masks.zip", query, t.users.radiologist);
    expect(response.status).toBe(200);
    const files = await unzip(Buffer.from(await response.arrayBuffer()));
    const name = `${fx.imageIds[0]}/pneumonia.png`;
    expect([...files.keys()]).toEqual([name]);
    const { data, info } = await sharp(files.get(name)!)
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([64, 64]);
    const at = (x: number, y: number) => data[y * 64 + x];
    expect(at(24, 16)).toBe(255);
    expect(at(17, 9)).toBe(255);
    expect(at(40, 16)).toBe(0);
    expect(at(24, 40)).toBe(0);
    expect((await get("masks.zip", query, t.users.annotator)).status).toBe(403);
  });
});

describe("the CLI", () => {
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/exports.ts", ...args], {
      cwd: path.resolve(import.meta.dirname, ".."),
      env: { ...process.env, DATABASE_URL: t.appUrl, STORAGE_URL: path.join(dir, "objects") },
    });

  it("writes the SR and the masks zip, and refuses a non-DICOM image", async () => {
    const sr = path.join(dir, "cli-sr.dcm");
    await cli(["dicom-sr", "--image", dicomImageId, "--out", sr]);
    expect(dciodvfy(readFileSync(sr), "cli-sr-copy.dcm").errors).toEqual([]);
    expect(readFileSync(sr).includes(Buffer.from("covid-19"))).toBe(true);
    const zip = path.join(dir, "cli-masks.zip");
    await cli(["masks", "--model", fx.modelVersionId, "--scope", "predicted", "--out", zip]);
    expect([...(await unzip(readFileSync(zip))).keys()]).toEqual([`${fx.imageIds[0]}/pneumonia.png`]);
    await expect(cli(["dicom-seg", "--image", fx.imageIds[0]!])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("did not come from DICOM"),
    });
  });
});
