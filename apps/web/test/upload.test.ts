// POST /api/upload's logic against a real test database and a temporary storage folder: who may upload,
// the size cap (declared and streamed), how many at once (429), multipart parsing, zip bombs, and that rejected
// files leave nothing behind: no row, no object, no spooled body in the upload folder.
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { LocalStorage } from "@cxr/storage";
import { makePng } from "@cxr/imaging/testing";
import yazl from "yazl";
import { type Session } from "next-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadResponseSchema } from "~/lib/upload/protocol";
import { handleUpload, uploadLimits, UploadSlots, type UploadDeps } from "~/server/services/upload";
import { sweepStaleUploads } from "~/server/services/upload-body";
import { sessionFor, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();
let dir: string;
let storageDir: string;
let tmpDir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "cxr-web-upload-"));
  storageDir = path.join(dir, "storage", "objects");
  tmpDir = path.join(dir, "uploads");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const MAX = 1024 * 1024;

function deps(session: Session | null, maxFileBytes = MAX, slots = new UploadSlots(2)): UploadDeps {
  return { db: t.db, storage: new LocalStorage(storageDir), session, maxFileBytes, slots, tmpDir };
}

/** the upload folder holds no spooled body once a request is answered */
async function spooled(): Promise<string[]> {
  try {
    return await readdir(tmpDir, { recursive: true });
  } catch {
    return [];
  }
}

/** a POST whose body is a stream (no Content-Length) */
function streamedRequest(body: ReadableStream<Uint8Array>, boundary = "x"): Request {
  return new Request("http://localhost/api/upload", {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    body,
    duplex: "half",
  } as RequestInit);
}

/** a multipart body streamed in chunks: one file part of `size` bytes, `pause` awaited before its end */
function streamedUpload(size: number, pause?: Promise<void>) {
  const boundary = "cxr-boundary";
  const head = Buffer.from(
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.dcm"\r\n` +
      "content-type: application/octet-stream\r\n\r\n",
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = new Uint8Array(64 * 1024).fill(7);
  const state = { sent: 0 };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (state.sent === 0) controller.enqueue(head);
      if (state.sent >= size) {
        if (pause) await pause;
        controller.enqueue(tail);
        return controller.close();
      }
      state.sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { request: streamedRequest(body, boundary), state };
}

function multipart(files: { name: string; bytes: Uint8Array; path?: string }[]): Request {
  const form = new FormData();
  for (const f of files) {
    if (f.path !== undefined) form.append("path", f.path);
    form.append("file", new Blob([Buffer.from(f.bytes)]), f.name);
  }
  return new Request("http://localhost/api/upload", { method: "POST", body: form });
}

async function errorOf(res: Response): Promise<string> {
  return ((await res.json()) as { error: string }).error;
}

/** every file below `root`, relative */
async function filesUnder(root: string): Promise<string[]> {
  try {
    return (await readdir(root, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
  } catch {
    return [];
  }
}

async function counts() {
  return {
    patients: await t.db.patient.count(),
    studies: await t.db.study.count(),
    images: await t.db.image.count(),
    objects: await t.db.storedObject.count(),
    files: (await filesUnder(storageDir)).filter((f) => !f.startsWith(".tmp")).length,
  };
}

describe("who may upload", () => {
  it("answers 401 signed out, 403 to an ANNOTATOR, 401 to a deactivated account, before reading the body", async () => {
    const png = await makePng(64, 64, 1);
    const signedOut = await handleUpload(multipart([{ name: "a.png", bytes: png }]), deps(null));
    expect(signedOut.status).toBe(401);
    expect(await errorOf(signedOut)).toBe("Sign in to upload images.");

    const annotator = multipart([{ name: "a.png", bytes: png }]);
    const forbidden = await handleUpload(annotator, deps(sessionFor(t.users.annotator)));
    expect(forbidden.status).toBe(403);
    expect(await errorOf(forbidden)).toMatch(/role does not allow/);
    expect(annotator.bodyUsed).toBe(false);

    // the role in the database counts, not a stale one in the session token
    const stale = await handleUpload(
      multipart([{ name: "a.png", bytes: png }]),
      deps(sessionFor({ ...t.users.annotator, role: "RADIOLOGIST" })),
    );
    expect(stale.status).toBe(403);

    const former = await t.db.user.create({
      data: { email: "former@cxr.local", name: "Former Reader", role: "RADIOLOGIST", active: false },
    });
    const inactive = await handleUpload(multipart([{ name: "a.png", bytes: png }]), deps(sessionFor(former)));
    expect(inactive.status).toBe(401);
    expect(await counts()).toMatchObject({ images: 0, files: 0 });
  });
});

describe("size and shape of the request", () => {
  const radiologist = () => deps(sessionFor(t.users.radiologist));

  it("refuses a declared body above the limit with 413 and a clear message", async () => {
    const req = new Request("http://localhost/api/upload", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(50 * MAX) },
      body: "--x--",
    });
    const res = await handleUpload(req, radiologist());
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toBe(
      "The upload is 50.0 MiB, above the limit of 1.0 MiB per file. Split large folders or zips into smaller parts.",
    );
  });

  it("stops reading a streamed body without Content-Length as soon as it passes the limit", async () => {
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 100 * MAX) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await handleUpload(streamedRequest(body), radiologist());
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatch(/above the limit of 1\.0 MiB per file/);
    expect(sent).toBeLessThan(3 * MAX); // cancelled early, not drained
    expect(await spooled()).toEqual([]);
  });

  it("answers 413 while streaming a file above the limit, reads no further and removes what it spooled", async () => {
    const { request, state } = streamedUpload(50 * MAX);
    const res = await handleUpload(request, radiologist());
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatch(/above the limit of 1\.0 MiB per file/);
    expect(state.sent).toBeLessThan(3 * MAX);
    expect(await spooled()).toEqual([]);
  });

  it("answers 429 with Retry-After beyond the concurrent uploads, before reading the body", async () => {
    const slots = new UploadSlots(1, 7);
    let finish = () => {};
    const first = streamedUpload(MAX / 2, new Promise<void>((resolve) => (finish = resolve)));
    const pending = handleUpload(first.request, deps(sessionFor(t.users.radiologist), MAX, slots));
    while (first.state.sent < MAX / 2) await new Promise((r) => setTimeout(r, 10));
    expect(await spooled()).not.toEqual([]); // the first one is being written to disk

    const second = multipart([{ name: "b.png", bytes: await makePng(32, 32, 40) }]);
    const busy = await handleUpload(second, deps(sessionFor(t.users.radiologist), MAX, slots));
    expect(busy.status).toBe(429);
    expect(busy.headers.get("retry-after")).toBe("7");
    expect(await errorOf(busy)).toMatch(/busy with other uploads.*sent again in 7 s/);
    expect(second.bodyUsed).toBe(false);

    finish();
    const done = await pending;
    expect(done.status).toBe(200); // answered: a file of sevens is rejected as an image, not as a request
    expect(slots.inUse).toBe(0);
    expect(await spooled()).toEqual([]);
    const again = await handleUpload(
      multipart([{ name: "b.png", bytes: await makePng(32, 32, 40) }]),
      deps(sessionFor(t.users.radiologist), MAX, slots),
    );
    expect(again.status).toBe(200);
  });

  it("removes request folders a crashed process left a day ago, not recent ones", async () => {
    const root = path.join(dir, "sweep");
    for (const name of ["upload-old", "upload-new", "other-old"]) {
      await mkdir(path.join(root, name), { recursive: true });
      await writeFile(path.join(root, name, "0"), "partial body");
    }
    const twoDaysAgo = new Date(Date.now() - 48 * 3600_000);
    await utimes(path.join(root, "upload-old"), twoDaysAgo, twoDaysAgo);
    await utimes(path.join(root, "other-old"), twoDaysAgo, twoDaysAgo);
    expect(await sweepStaleUploads(root)).toEqual(["upload-old"]);
    expect((await readdir(root)).sort()).toEqual(["other-old", "upload-new"]);
    await rm(root, { recursive: true, force: true });
  });

  it("answers 400 to a body that breaks off and keeps nothing of it", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(
          Buffer.from('--x\r\ncontent-disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc'),
        );
        controller.error(new Error("client went away"));
      },
    });
    const res = await handleUpload(streamedRequest(body), radiologist());
    expect(res.status).toBe(400);
    expect(await spooled()).toEqual([]);
  });

  it("answers 415 to a body that is not multipart and 400 to a form without files", async () => {
    const json = new Request("http://localhost/api/upload", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect((await handleUpload(json, radiologist())).status).toBe(415);

    const form = new FormData();
    form.append("file", "not a file");
    const noFile = await handleUpload(
      new Request("http://localhost/api/upload", { method: "POST", body: form }),
      radiologist(),
    );
    expect(noFile.status).toBe(400);
    expect(await errorOf(noFile)).toMatch(/No file was sent/);

    const broken = new Request("http://localhost/api/upload", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=abc" },
      body: "garbage without boundaries",
    });
    expect((await handleUpload(broken, radiologist())).status).toBe(400);
  });

  it("bounds zips by the upload limit too", () => {
    expect(uploadLimits(MAX)).toMatchObject({ maxFileBytes: MAX, maxZipUncompressedBytes: 4 * MAX });
  });

  it("refuses a zip bomb whole before unpacking it, and stores nothing of it", async () => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(await makePng(32, 32, 41), "study/a.png");
    zip.addBuffer(Buffer.alloc(24 * MAX), "study/b.dcm"); // zeros deflate about 1000 to 1
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    const bomb = Buffer.concat(chunks);
    expect(bomb.length).toBeLessThan(MAX);
    const before = await counts();
    const res = await handleUpload(
      multipart([{ name: "bomb.zip", bytes: bomb }]),
      deps(sessionFor(t.users.radiologist), 32 * MAX),
    );
    expect(res.status).toBe(200);
    const { results } = uploadResponseSchema.parse(await res.json());
    expect(results).toEqual([
      {
        name: "bomb.zip",
        status: "REJECTED",
        imageIds: [],
        message: expect.stringMatching(
          /^bomb\.zip: .*"study\/b\.dcm" expands \d+ times .* zip bomb/,
        ) as string,
      },
    ]);
    expect(await counts()).toEqual(before);
    expect(await spooled()).toEqual([]);
  });
});

describe("what is stored", () => {
  it("imports a valid PNG, rejects a corrupt PNG and a text file named .dcm, and stores nothing of those", async () => {
    const before = await counts();
    const png = await makePng(96, 80, 7);
    const corrupt = (await makePng(96, 80, 8)).subarray(0, 200);
    const res = await handleUpload(
      multipart([
        { name: "valid.png", bytes: png },
        { name: "corrupt.png", bytes: corrupt },
        { name: "notes.dcm", bytes: Buffer.from("Patient notes, not an image.\n") },
      ]),
      deps(sessionFor(t.users.radiologist)),
    );
    expect(res.status).toBe(200);
    const { results } = uploadResponseSchema.parse(await res.json());
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(byName["valid.png"]).toMatchObject({ status: "IMPORTED" });
    expect(byName["corrupt.png"]?.status).toBe("REJECTED");
    expect(byName["corrupt.png"]?.message).toMatch(/^corrupt\.png: .*truncated or damaged/);
    expect(byName["notes.dcm"]?.message).toBe("notes.dcm: named .dcm but the content is text, not DICOM");

    // one image and its objects (original, 16-bit master, preview; equal bytes are stored once), nothing else
    const image = await t.db.image.findUniqueOrThrow({ where: { id: byName["valid.png"]!.imageIds[0] } });
    expect(image).toMatchObject({ source: "UPLOAD", status: "PENDING", sourceRef: "valid.png", width: 96 });
    const objects = new Set([image.originalSha256, image.masterSha256, image.previewSha256]).size;
    expect(await counts()).toEqual({
      patients: before.patients + 1,
      studies: before.studies + 1,
      images: before.images + 1,
      objects: before.objects + objects,
      files: before.files + objects,
    });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "images.uploaded" } });
    expect(audit.actorId).toBe(t.users.radiologist.id);

    // the same file again is linked, not stored twice
    const again = await handleUpload(
      multipart([{ name: "copy.png", bytes: png }]),
      deps(sessionFor(t.users.admin)),
    );
    const [dup] = uploadResponseSchema.parse(await again.json()).results;
    expect(dup).toMatchObject({ status: "DUPLICATE", imageIds: byName["valid.png"]!.imageIds });
    expect((await counts()).images).toBe(before.images + 1);
  });

  it("never uses a browser path as a storage path: `../` names are shown cleaned and stored by hash", async () => {
    const png = await makePng(40, 40, 21);
    const res = await handleUpload(
      multipart([
        { name: "evil.png", path: "../../../escape/evil.png", bytes: png },
        { name: "win.png", path: "..\\..\\win.png", bytes: await makePng(40, 40, 22) },
      ]),
      deps(sessionFor(t.users.radiologist)),
    );
    const { results } = uploadResponseSchema.parse(await res.json());
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ["escape/evil.png", "IMPORTED"],
      ["win.png", "IMPORTED"],
    ]);
    // the multipart file name is cleaned the same way when no path field comes with it
    const named = await handleUpload(
      multipart([{ name: "../../named.png", bytes: await makePng(40, 40, 23) }]),
      deps(sessionFor(t.users.radiologist)),
    );
    expect(uploadResponseSchema.parse(await named.json()).results[0]?.name).toBe("named.png");
    // nothing was written beside or above the storage folder, and every object is named by its SHA-256
    expect(await readdir(dir)).toEqual(["storage", "uploads"]);
    expect(await spooled()).toEqual([]);
    expect(await readdir(path.join(dir, "storage"))).toEqual(["objects"]);
    for (const file of await filesUnder(storageDir)) {
      if (file.startsWith(".tmp")) continue;
      expect(file).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    }
    const image = await t.db.image.findUniqueOrThrow({ where: { id: results[0]!.imageIds[0] } });
    expect(image.sourceRef).toBe("escape/evil.png");
  });
});
