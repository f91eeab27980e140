// Zip archives of uploads are read in memory; one that points outside itself is refused whole.
import { makePng } from "@cxr/imaging/testing";
import { RejectedFileError } from "@cxr/imaging";
import { describe, expect, it } from "vitest";
import { readZip } from "../src/zip";
import { makeZip, makeZipSlip } from "./zips";

describe("readZip", () => {
  it("unpacks the archive in memory, skipping folders and macOS metadata", async () => {
    const zip = await makeZip([
      { path: "study/a.png", bytes: await makePng(8, 8) },
      { path: "__MACOSX/study/._a.png", bytes: Buffer.from("junk") },
      { path: "study/.DS_Store", bytes: Buffer.from("junk") },
    ]);
    expect((await readZip(zip)).map((m) => m.path)).toEqual(["study/a.png"]);
  });

  it("refuses an archive with a member outside its folder, naming the member", async () => {
    const outcome = readZip(await makeZipSlip("evil.png", await makePng(8, 8)));
    await expect(outcome).rejects.toBeInstanceOf(RejectedFileError);
    await expect(outcome).rejects.toThrow(/"\.\.\/evil\.png" points outside the archive/);
  });
});
