// Zip archives of uploads are read from disk one member at a time; one that points outside itself, or that only
// a bomb would be (a member expanding hundreds of times, more than the archive limit in all), is refused whole
// before any member is read.
import { writeFile, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { defaultLimits, RejectedFileError } from "@cxr/imaging";
import { makePng } from "@cxr/imaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readZip, zipMembers } from "../src/zip";
import { makeZip, makeZipSlip } from "./zips";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "cxr-zip-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("zipMembers", () => {
  it("reads the archive from disk member by member, skipping folders and macOS metadata", async () => {
    const file = path.join(dir, "study.zip");
    await writeFile(
      file,
      await makeZip([
        { path: "study/a.png", bytes: await makePng(8, 8) },
        { path: "__MACOSX/study/._a.png", bytes: Buffer.from("junk") },
        { path: "study/.DS_Store", bytes: Buffer.from("junk") },
        { path: "study/b.png", bytes: await makePng(8, 8, 2) },
      ]),
    );
    const seen: string[] = [];
    for await (const member of zipMembers({ file })) seen.push(`${member.path}:${member.bytes.length > 0}`);
    expect(seen).toEqual(["study/a.png:true", "study/b.png:true"]);
  });

  it("refuses an archive with a member outside its folder, naming the member", async () => {
    const outcome = readZip(await makeZipSlip("evil.png", await makePng(8, 8)));
    await expect(outcome).rejects.toBeInstanceOf(RejectedFileError);
    await expect(outcome).rejects.toThrow(/"\.\.\/evil\.png" points outside the archive/);
  });

  it("refuses a zip bomb by its compression ratio, a member above the file limit and a total above the archive limit", async () => {
    const zeros = Buffer.alloc(20 * 1024 * 1024); // deflates about 1000 to 1
    const bomb = readZip(
      await makeZip([
        { path: "a.dcm", bytes: Buffer.from("fine") },
        { path: "b.dcm", bytes: zeros },
      ]),
    );
    await expect(bomb).rejects.toThrow(
      /member "b\.dcm" expands \d+ times \(20\.0 MiB\), as only a zip bomb does/,
    );

    const noise = Buffer.from(Array.from({ length: 3 * 1024 * 1024 }, (_, i) => (i * 2654435761) >>> 24));
    const small = { ...defaultLimits, maxFileBytes: 2 * 1024 * 1024 };
    await expect(readZip(await makeZip([{ path: "big.dcm", bytes: noise }]), small)).rejects.toThrow(
      /zip member "big\.dcm" is 3\.0 MiB, above the limit of 2\.0 MiB/,
    );
    const total = { ...defaultLimits, maxZipUncompressedBytes: 5 * 1024 * 1024 };
    const two = await makeZip([
      { path: "1.dcm", bytes: noise },
      { path: "2.dcm", bytes: noise },
    ]);
    await expect(readZip(two, total)).rejects.toThrow(/expands to more than 5\.0 MiB/);
  });
});
