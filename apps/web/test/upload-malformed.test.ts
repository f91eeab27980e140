// Issue 12, item 7, through POST /api/upload's logic: malformed DICOM files sent among good ones (once a 500
// for the whole upload) are each rejected with a message, and the good files are stored.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { craftNativeImage, dicomWithUnexplainedWindow, makePng, malformedDicoms } from "@cxr/imaging/testing";
import { LocalStorage } from "@cxr/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadResponseSchema } from "~/lib/upload/protocol";
import { handleUpload, UploadSlots } from "~/server/services/upload";
import { sessionFor, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "cxr-web-malformed-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("an upload with malformed DICOM files among good ones", () => {
  it("answers 200 with one rejection per malformed file and stores the good files", async () => {
    const malformed = malformedDicoms();
    const files = [
      { name: "good.dcm", bytes: craftNativeImage(16, 16, 301) },
      ...malformed,
      { name: "windows.dcm", bytes: dicomWithUnexplainedWindow(302) },
      { name: "good.png", bytes: await makePng(40, 30, 303) },
    ];
    const form = new FormData();
    for (const f of files) form.append("file", new Blob([Buffer.from(f.bytes)]), f.name);
    const res = await handleUpload(
      new Request("http://localhost/api/upload", { method: "POST", body: form }),
      {
        db: t.db,
        storage: new LocalStorage(path.join(dir, "objects")),
        session: sessionFor(t.users.radiologist),
        maxFileBytes: 1024 * 1024,
        slots: new UploadSlots(2),
        tmpDir: path.join(dir, "uploads"),
      },
    );
    expect(res.status).toBe(200);
    const { results } = uploadResponseSchema.parse(await res.json());
    const byName = new Map(results.map((r) => [r.name, r]));
    for (const bad of malformed) {
      expect(byName.get(bad.name), bad.name).toMatchObject({ status: "REJECTED", imageIds: [] });
      expect(byName.get(bad.name)?.message, bad.name).toMatch(bad.expect);
    }
    for (const good of ["good.dcm", "windows.dcm", "good.png"])
      expect(byName.get(good)?.status, good).toBe("IMPORTED");
    expect(await t.db.image.count()).toBe(3);
  });
});
