// The server side of browser uploads: the bad-input corpus is refused file by file with clear messages and
// leaves no row and no object; good files (and zip members) are stored once and queued for prediction.
import { readFileSync } from "node:fs";
import { makeJpeg, makePng } from "@cxr/imaging/testing";
import { describe, expect, it } from "vitest";
import { ingestUploadedFiles } from "../src/upload";
import { rowCounts, setUpForFile } from "./helpers";
import { badUploads, makeZip } from "./zips";

const RT_PLAN = "/usr/lib/python3/dist-packages/pydicom/data/test_files/rtplan.dcm"; // real DICOM without pixel data
const CT_SMALL = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm";

const env = setUpForFile();

describe("ingestUploadedFiles", () => {
  it("refuses the bad-input corpus with a message per file and leaves no row or object behind", async () => {
    const corpus = await badUploads(readFileSync(RT_PLAN));
    const before = await rowCounts(env);
    const results = await ingestUploadedFiles(
      env.ctx,
      corpus.map((c) => ({ name: c.name, bytes: c.bytes })),
    );
    expect(results).toHaveLength(corpus.length);
    for (const bad of corpus) {
      const result = results.find((r) => r.name === bad.name);
      expect(result?.status, bad.name).toBe("REJECTED");
      expect(result?.message, bad.name).toMatch(bad.expect);
      expect(result?.message?.startsWith(`${bad.name}: `)).toBe(true);
    }
    expect(await rowCounts(env)).toEqual(before);
    expect(before).toMatchObject({ patients: 0, images: 0, objects: 0, storedObjects: 0 });
    const audit = await env.t.db.auditEvent.findFirstOrThrow({ where: { action: "images.uploaded" } });
    expect((audit.after as { rejected: string[] }).rejected).toHaveLength(corpus.length);
  });

  it("stores good files and zip members once, queues them, and rejects bad members of a zip on their own", async () => {
    const png = await makePng(300, 280, 9);
    const zip = await makeZip([
      { path: "folder/a.jpg", bytes: await makeJpeg(120, 100, 10) },
      { path: "folder/same-as-png.png", bytes: png },
      { path: "folder/readme.txt", bytes: Buffer.from("hello") },
    ]);
    const results = await ingestUploadedFiles(env.ctx, [
      { name: "chest.png", bytes: png },
      { name: "ct.dcm", bytes: readFileSync(CT_SMALL) },
      { name: "study.zip", bytes: zip },
    ]);
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(byName["chest.png"]?.status).toBe("IMPORTED");
    expect(byName["ct.dcm"]?.status).toBe("IMPORTED");
    expect(byName["study.zip/folder/a.jpg"]?.status).toBe("IMPORTED");
    expect(byName["study.zip/folder/same-as-png.png"]).toMatchObject({
      status: "DUPLICATE",
      imageIds: byName["chest.png"]?.imageIds,
    });
    expect(byName["study.zip/folder/readme.txt"]?.message).toMatch(
      /study\.zip\/folder\/readme\.txt: the content is text; accepted are PNG, JPEG and DICOM/,
    );
    const images = await env.t.db.image.findMany();
    expect(images).toHaveLength(3);
    expect(images.every((i) => i.status === "PENDING")).toBe(true);
    expect(env.queued.sort()).toEqual(images.map((i) => i.id).sort());
    expect(images.find((i) => i.mimeType === "application/dicom")).toMatchObject({
      source: "UPLOAD",
      modality: "CT",
    });

    // the same upload again: nothing new
    const counts = await rowCounts(env);
    const again = await ingestUploadedFiles(env.ctx, [{ name: "chest.png", bytes: png }]);
    expect(again[0]?.status).toBe("DUPLICATE");
    expect(await rowCounts(env)).toEqual(counts);
  });
});
