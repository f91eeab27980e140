// Issue 12, item 7: a malformed DICOM file (Patient's Age "200Y", a codec's bare throw, a frame that claims a
// huge size, RLE offsets past the data) is one rejected file with a message; the other files of the same
// upload or import are stored.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { craftNativeImage, dicomWithUnexplainedWindow, makePng, malformedDicoms } from "@cxr/imaging/testing";
import { describe, expect, it } from "vitest";
import { planDicomPaths } from "../src/importers/folder";
import { jobReport } from "../src/jobs";
import { runJob } from "../src/runner";
import { ingestUploadedFiles } from "../src/upload";
import { setUpForFile } from "./helpers";

const env = setUpForFile();

describe("malformed DICOM files among good ones", () => {
  it("an upload rejects each malformed file with its message and stores the others", async () => {
    const malformed = malformedDicoms();
    const results = await ingestUploadedFiles(env.ctx, [
      { name: "good.dcm", bytes: craftNativeImage(16, 16, 201) },
      ...malformed.map(({ name, bytes }) => ({ name, bytes })),
      { name: "windows.dcm", bytes: dicomWithUnexplainedWindow(202) },
      { name: "good.png", bytes: await makePng(32, 32, 203) },
    ]);
    const byName = new Map(results.map((r) => [r.name, r]));
    for (const bad of malformed) {
      expect(byName.get(bad.name)?.status, bad.name).toBe("REJECTED");
      expect(byName.get(bad.name)?.message, bad.name).toMatch(bad.expect);
    }
    for (const good of ["good.dcm", "windows.dcm", "good.png"])
      expect(byName.get(good)?.status, good).toBe("IMPORTED");
    expect(await env.t.db.image.count()).toBe(3);
  });

  it("a folder import skips each malformed file with its reason and message and imports the others", async () => {
    const dir = path.join(env.dir, "malformed-in");
    await mkdir(dir, { recursive: true });
    const malformed = malformedDicoms();
    for (const bad of malformed) await writeFile(path.join(dir, bad.name), bad.bytes);
    await writeFile(path.join(dir, "good.dcm"), craftNativeImage(16, 16, 211));
    const items = await planDicomPaths(env.ctx, [dir]);
    const { job } = await runJob(env.ctx, { format: "dicom", sourceRef: dir }, items);
    expect(job).toMatchObject({
      status: "SUCCEEDED",
      total: malformed.length + 1,
      imported: 1,
      skipped: malformed.length,
      failed: 0,
    });
    const report = await jobReport(env.t.db, job.id, 10);
    const examples = report.problems.flatMap((p) => p.examples.map((e) => ({ ...e, reason: p.reason })));
    for (const bad of malformed) {
      const example = examples.find((e) => path.basename(e.key) === bad.name);
      expect(example?.message, bad.name).toMatch(bad.expect);
      expect(example?.reason, bad.name).toBe("UNREADABLE_IMAGE");
    }
  });
});
