// Benchmark: peak RSS of the process serving POST /api/upload while one large request arrives, is spooled to
// disk and ingested, against the request's size. The server is this process: a plain Node HTTP server around
// handleUpload (what the route calls), a real PostgreSQL (embedded) and a storage folder; the request is sent
// by curl from a file, the upload (a zip of DICOM files, stored uncompressed) is written by a child process,
// so neither counts here. RSS (worker threads, wasm and native memory included) is sampled every 10 ms.
// Prints one JSON object.
// --single sends one multi-frame DICOM of that size instead: a single file is read into memory to be decoded
// (and copied into the decode worker), its frames one at a time.
//   npm run bench:upload -w @cxr/web -- [--mb 500] [--image 1024] [--single]
import { execFile, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { createTestDatabase, startTestServer } from "@cxr/db/testing";
import { craftImage, craftNativeImage } from "@cxr/imaging/testing";
import { LocalStorage } from "@cxr/storage";
import yazl from "yazl";
import { z } from "zod";
import { handleUpload, UploadSlots } from "~/server/services/upload";

const { values } = parseArgs({
  options: {
    mb: { type: "string", default: "500" },
    image: { type: "string", default: "1024" },
    write: { type: "string" },
    single: { type: "boolean", default: false },
  },
});
const megabytes = z.coerce.number().positive().parse(values.mb);
const side = z.coerce.number().int().min(16).max(4096).parse(values.image);

/** Child role, --single: one DICOM object of side x side 16-bit frames, `megabytes` of pixel data. */
async function writeMultiFrame(file: string): Promise<void> {
  const frameBytes = side * side * 2;
  const frames = Math.max(1, Math.round((megabytes * 1024 * 1024) / frameBytes));
  const pixels = Buffer.alloc(frames * frameBytes);
  for (let i = 0; i < pixels.length / 2; i++) pixels.writeUInt16LE((i * 37) % 4096, 2 * i);
  const dicom = craftImage({
    rows: side,
    columns: side,
    bitsStored: 12,
    pixels,
    extra: [{ tag: "00280008", vr: "IS", value: String(frames) }],
  });
  await pipeline(Readable.from([dicom]), createWriteStream(file));
}

/** Child role: writes the zip (DICOM members of side x side 16-bit pixels) and exits. */
async function writeZip(file: string): Promise<void> {
  if (values.single) return writeMultiFrame(file);
  const zip = new yazl.ZipFile();
  const done = pipeline(zip.outputStream, createWriteStream(file));
  const memberBytes = side * side * 2;
  const count = Math.max(1, Math.round((megabytes * 1024 * 1024) / memberBytes));
  for (let i = 0; i < count; i++) {
    // one member at a time: yazl holds a buffer until it is written
    zip.addBuffer(craftNativeImage(side, side, i), `study/${String(i).padStart(5, "0")}.dcm`, {
      compress: false,
    });
    await new Promise((r) => setImmediate(r));
  }
  zip.end();
  await done;
}

async function main(): Promise<void> {
  if (values.write) return writeZip(values.write);
  const dir = await mkdtemp(path.join(os.tmpdir(), "cxr-bench-upload-"));
  const zipFile = path.join(dir, values.single ? "bench.dcm" : "bench.zip");
  const self = fileURLToPath(import.meta.url);
  await promisify(execFile)(
    process.execPath,
    [
      "--import",
      "tsx",
      self,
      "--write",
      zipFile,
      "--mb",
      String(megabytes),
      "--image",
      String(side),
      ...(values.single ? ["--single"] : []),
    ],
    {
      cwd: path.dirname(path.dirname(self)),
    },
  );
  const requestBytes = (await stat(zipFile)).size;

  const pgServer = await startTestServer();
  const t = await createTestDatabase(pgServer.adminUrl);
  const user = await t.db.user.create({
    data: { email: "bench@cxr.local", name: "Bench Reader", role: "RADIOLOGIST", active: true },
  });
  const session = {
    user: { id: user.id, name: user.name, email: user.email, role: user.role },
    expires: new Date(Date.now() + 3_600_000).toISOString(),
  };
  const tmpDir = path.join(dir, "uploads");
  const deps = {
    db: t.db,
    storage: new LocalStorage(path.join(dir, "objects")),
    session,
    maxFileBytes: requestBytes + 1024 * 1024,
    slots: new UploadSlots(2),
    tmpDir,
  };
  const server = createServer((req, res) => {
    const request = new Request(`http://localhost${req.url ?? "/"}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
      duplex: "half",
    } as RequestInit);
    void handleUpload(request, deps).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = performance.now();
  const curl = spawn("curl", [
    "-sS",
    "-F",
    `file=@${zipFile};filename=${path.basename(zipFile)}`,
    `http://127.0.0.1:${port}/api/upload`,
  ]);
  let answer = "";
  curl.stdout.on("data", (chunk: Buffer) => (answer += chunk.toString()));
  await new Promise((resolve) => curl.on("close", resolve));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);

  const results = z
    .object({ results: z.array(z.object({ status: z.string(), imageIds: z.array(z.string()) })) })
    .parse(JSON.parse(answer)).results;
  const mib = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  console.log(
    JSON.stringify({
      benchmark: "upload-peak-rss",
      request: {
        kind: values.single ? "one multi-frame DICOM file" : "zip of DICOM files, stored",
        members: results.length,
        imagePixels: `${side}x${side}`,
        bytes: requestBytes,
        mib: mib(requestBytes),
      },
      imported: results.filter((r) => r.status === "IMPORTED").length,
      images: results.reduce((n, r) => n + r.imageIds.length, 0),
      rejected: results.filter((r) => r.status === "REJECTED").length,
      seconds: Math.round(seconds * 10) / 10,
      rssMiB: { baseline: mib(baseline), peak: mib(peak), peakAboveBaseline: mib(peak - baseline) },
      peakAboveBaselineOverRequest: Math.round(((peak - baseline) / requestBytes) * 1000) / 1000,
      spooledLeft: (await readdir(tmpDir)).length,
    }),
  );
  server.close();
  await t.close();
  await pgServer.stop();
  await rm(dir, { recursive: true, force: true });
}

await main();
