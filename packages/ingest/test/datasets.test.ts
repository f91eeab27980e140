// Kermany's chest_xray and the COVID-19 Radiography Database in their real layouts (built here), and a plain folder.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import ExcelJS from "exceljs";
import { makeJpeg, makePng } from "@cxr/imaging/testing";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { importDataset } from "../src/import-dataset";
import { kermanyPatient } from "../src/importers/kermany";
import { DatasetLayoutError } from "../src/importers/layout";
import { jobReport } from "../src/jobs";
import { rowCounts, setUpForFile } from "./helpers";

const env = setUpForFile();

async function put(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
}

describe("Kermany chest_xray", () => {
  it("imports train/test/val NORMAL/PNEUMONIA with patients from the file names, ignoring macOS junk", async () => {
    // the Kaggle archive: chest_xray/ with train, test, val (and a __MACOSX twin)
    const root = path.join(env.dir, "kermany");
    const base = path.join(root, "chest_xray");
    let seed = 100;
    for (const [rel, maker] of [
      ["train/NORMAL/IM-0115-0001.jpeg", makeJpeg],
      ["train/NORMAL/NORMAL2-IM-0427-0001.jpeg", makeJpeg],
      ["train/PNEUMONIA/person1_bacteria_1.jpeg", makeJpeg],
      ["train/PNEUMONIA/person1_bacteria_2.jpeg", makeJpeg],
      ["test/PNEUMONIA/person100_virus_184.jpeg", makeJpeg],
      ["val/NORMAL/NORMAL2-IM-1427-0001.jpeg", makeJpeg],
    ] as const) {
      await put(path.join(base, rel), await maker(180, 160, seed++));
    }
    await put(path.join(base, "train/NORMAL/.DS_Store"), Buffer.from("junk"));
    await put(path.join(root, "__MACOSX/chest_xray/train/NORMAL/._IM-0115-0001.jpeg"), Buffer.from("junk"));

    const { job } = await importDataset(env.ctx, { format: "kermany", path: root });
    expect(job).toMatchObject({ status: "SUCCEEDED", total: 6, imported: 6, skipped: 0 });
    const images = await env.t.db.image.findMany({
      where: { source: "DATASET_KERMANY" },
      include: { study: { include: { patient: true } }, reads: { include: { labelClass: true } } },
      orderBy: { sourceRef: "asc" },
    });
    expect(
      images.map((i) => [i.sourceRef, i.study.patient.externalId, i.reads[0]?.labelClass.key, i.finding]),
    ).toEqual([
      ["test/PNEUMONIA/person100_virus_184.jpeg", "person100", "pneumonia", "Pneumonia/Viral"],
      ["train/NORMAL/IM-0115-0001.jpeg", "IM-0115", "normal", "No Finding"],
      ["train/NORMAL/NORMAL2-IM-0427-0001.jpeg", "NORMAL2-IM-0427", "normal", "No Finding"],
      ["train/PNEUMONIA/person1_bacteria_1.jpeg", "person1", "pneumonia", "Pneumonia/Bacterial"],
      ["train/PNEUMONIA/person1_bacteria_2.jpeg", "person1", "pneumonia", "Pneumonia/Bacterial"],
      ["val/NORMAL/NORMAL2-IM-1427-0001.jpeg", "NORMAL2-IM-1427", "normal", "No Finding"],
    ]);
    expect(images.every((i) => i.status === "PENDING" && i.modality === "DX")).toBe(true);
    expect(kermanyPatient("person1492_virus_2590.jpeg")).toBe("person1492");
  });

  it("refuses a folder that is not chest_xray, creating nothing", async () => {
    const before = await rowCounts(env);
    await expect(
      importDataset(env.ctx, { format: "kermany", path: path.join(env.dir) }),
    ).rejects.toBeInstanceOf(DatasetLayoutError);
    expect(await rowCounts(env)).toEqual(before);
  });
});

describe("COVID-19 Radiography Database", () => {
  it("imports the four class folders with their metadata spreadsheets", async () => {
    const root = path.join(env.dir, "COVID-19_Radiography_Dataset");
    let seed = 200;
    for (const cls of ["COVID", "Normal", "Lung_Opacity", "Viral Pneumonia"]) {
      for (const n of [1, 2]) {
        await put(path.join(root, cls, "images", `${cls}-${n}.png`), await makePng(128, 128, seed++));
        await put(path.join(root, cls, "masks", `${cls}-${n}.png`), await makePng(64, 64, seed++)); // lung masks: not images to review
      }
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet("Sheet1");
      sheet.addRow(["FILE NAME", "FORMAT", "SIZE", "URL"]);
      sheet.addRow([`${cls.toUpperCase()}-1`, "PNG", "256*256", `https://example.org/${cls}/1`]);
      await workbook.xlsx.writeFile(path.join(root, `${cls}.metadata.xlsx`));
    }
    await put(path.join(root, "README.md.txt"), Buffer.from("COVID-19 Radiography Database"));

    const { job } = await importDataset(env.ctx, { format: "radiography-db", path: root });
    expect(job).toMatchObject({ status: "SUCCEEDED", total: 8, imported: 8 });
    const images = await env.t.db.image.findMany({
      where: { source: "DATASET_RADIOGRAPHY_DB" },
      include: { reads: { include: { labelClass: true } } },
      orderBy: { sourceRef: "asc" },
    });
    expect(images.map((i) => [i.sourceRef, i.reads[0]?.labelClass.key])).toEqual([
      ["COVID/images/COVID-1.png", "covid-19"],
      ["COVID/images/COVID-2.png", "covid-19"],
      ["Lung_Opacity/images/Lung_Opacity-1.png", "lung-opacity"],
      ["Lung_Opacity/images/Lung_Opacity-2.png", "lung-opacity"],
      ["Normal/images/Normal-1.png", "normal"],
      ["Normal/images/Normal-2.png", "normal"],
      ["Viral Pneumonia/images/Viral Pneumonia-1.png", "pneumonia"],
      ["Viral Pneumonia/images/Viral Pneumonia-2.png", "pneumonia"],
    ]);
    expect(images.find((i) => i.filename === "COVID-1.png")?.url).toBe("https://example.org/COVID/1");
    expect(images.find((i) => i.filename === "COVID-2.png")?.url).toBeNull();

    // the binary label set has no lung-opacity or pneumonia class: those are reported as unknown findings
    const binary = await importDataset(env.ctx, {
      format: "radiography-db",
      path: root,
      labelSet: "covid-binary",
    });
    const report = await jobReport(env.t.db, binary.job.id);
    expect(report.problems).toMatchObject([{ reason: "UNKNOWN_FINDING", count: 4 }]);
  });

  it("reads the older flat layout (images directly in the class folders)", async () => {
    const root = path.join(env.dir, "raddb-v1");
    await put(path.join(root, "COVID-19", "COVID-19 (1).png"), await makePng(96, 96, 300));
    await put(path.join(root, "NORMAL", "NORMAL (1).png"), await makePng(96, 96, 301));
    const { job } = await importDataset(env.ctx, { format: "radiography-db", path: root });
    expect(job).toMatchObject({ total: 2, imported: 2 });
  });
});

describe("plain folder", () => {
  it("imports PNG, JPEG and DICOM below a folder, labelling by folder name where it is a finding", async () => {
    const root = path.join(env.dir, "my-folder");
    await put(path.join(root, "covid-19", "a.png"), await makePng(90, 90, 400));
    await put(path.join(root, "misc", "b.jpg"), await makeJpeg(90, 90, 401));
    const { job } = await importDataset(env.ctx, { format: "folder", path: root });
    expect(job).toMatchObject({ imported: 2 });
    const labelled = await env.t.db.image.findFirstOrThrow({
      where: { sourceRef: "covid-19/a.png" },
      include: { reads: { include: { labelClass: true } } },
    });
    expect(labelled.reads[0]?.labelClass.key).toBe("covid-19");
  });

  it("brings each labelled image's lesion mask as outlines of its import read, and fails an image whose mask is broken", async () => {
    const root = path.join(env.dir, "with-masks");
    await put(path.join(root, "pneumonia", "p1.png"), await makePng(90, 90, 410));
    await put(path.join(root, "pneumonia", "p2.png"), await makePng(90, 90, 411));
    await put(path.join(root, "normal", "n1.png"), await makePng(90, 90, 412));
    // the masks folder sits inside the data set, mirroring the images' paths; 0/255 with a lesion box at the
    // right of the upper half
    const box = Buffer.alloc(90 * 90);
    for (let y = 10; y < 40; y++) for (let x = 50; x < 80; x++) box[y * 90 + x] = 255;
    await put(
      path.join(root, "masks", "pneumonia", "p1.png"),
      await sharp(box, { raw: { width: 90, height: 90, channels: 1 } })
        .png()
        .toBuffer(),
    );
    await put(path.join(root, "masks", "pneumonia", "p2.png"), Buffer.from("not a png"));
    const { job } = await importDataset(env.ctx, {
      format: "folder",
      path: root,
      masks: path.join(root, "masks"),
    });
    // the masks are not images of the data set; the image with a broken mask is not imported without it
    expect(job).toMatchObject({ total: 3, imported: 2, failed: 1 });
    const failed = await env.t.db.importItem.findFirstOrThrow({ where: { jobId: job.id, status: "FAILED" } });
    expect(failed.key).toBe("pneumonia/p2.png");
    expect(failed.message).toMatch(/the mask .*masks\/pneumonia\/p2\.png cannot be read/);
    const image = await env.t.db.image.findFirstOrThrow({
      where: { sourceRef: "pneumonia/p1.png" },
      include: { annotations: true },
    });
    expect(image.annotations).toHaveLength(1);
    const outline = image.annotations[0]!;
    expect(outline).toMatchObject({ shape: "POLYGON", authorId: null });
    const points = outline.points as [number, number][];
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    expect(Math.min(...xs)).toBeCloseTo(50 / 90, 1);
    expect(Math.max(...xs)).toBeCloseTo(80 / 90, 1);
    expect(Math.min(...ys)).toBeCloseTo(10 / 90, 1);
    expect(Math.max(...ys)).toBeCloseTo(40 / 90, 1);
    const normal = await env.t.db.image.findFirstOrThrow({
      where: { sourceRef: "normal/n1.png" },
      include: { annotations: true },
    });
    expect(normal.annotations).toHaveLength(0);
  });

  it("refuses masks for a format that does not read them", async () => {
    await expect(
      importDataset(env.ctx, { format: "kermany", path: env.dir, masks: env.dir }),
    ).rejects.toThrow(/folder format only/);
  });
});
