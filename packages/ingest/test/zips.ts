// Zip fixtures for @cxr/ingest's tests: archives written with yazl (a zip writer independent of the yauzl
// reader under test), and the bad-upload corpus of the ingest issue (bad images plus an archive that points
// outside itself).
import { badImages, makePng, type BadInput } from "@cxr/imaging/testing";
import yazl from "yazl";

export async function makeZip(members: { path: string; bytes: Uint8Array }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const member of members) zip.addBuffer(Buffer.from(member.bytes), member.path);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A zip whose member is named `../<name>`. Zip writers refuse such names, so the archive is written with a
 * same-length safe name and the name is patched in the local and central headers (the CRC covers data only).
 */
export async function makeZipSlip(name: string, bytes: Uint8Array): Promise<Buffer> {
  const zip = await makeZip([{ path: `xx/${name}`, bytes }]);
  const safe = Buffer.from(`xx/${name}`);
  const evil = Buffer.from(`../${name}`);
  let at = zip.indexOf(safe);
  while (at >= 0) {
    evil.copy(zip, at);
    at = zip.indexOf(safe, at + 1);
  }
  return zip;
}

/** The ingest issue's bad-input corpus: every file is refused with the message `expect` names. */
export async function badUploads(dicomWithoutPixels: Buffer): Promise<BadInput[]> {
  return [
    ...(await badImages(dicomWithoutPixels)),
    {
      name: "slip.zip",
      bytes: await makeZipSlip("evil.png", await makePng(256, 256, 1)),
      expect: /"\.\.\/evil\.png" points outside the archive/,
    },
  ];
}
