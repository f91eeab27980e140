// POST /api/backbones' logic and backbones.list against real PostgreSQL, a storage folder and a real inference
// service (its own process over HTTP, sharing the storage as in a deployment): admins only, the size cap, a file
// that is not HDF5 or is for another architecture refused with the reason and nothing registered, and a Keras
// VGG16 file (written by python3-h5py) registered and listed as the one training uses.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { LocalStorage } from "@cxr/storage";
import { type Session } from "next-auth";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handleBackboneUpload } from "~/server/services/backbones";
import { callerAs, sessionFor, useSeededDatabase } from "./helpers";
import { startInferenceProcess, type InferenceProcess } from "./inference-process";

const TOKEN = "backbones-test-token-0123456789";
const PORT = 4711;
const t = useSeededDatabase();
let dir: string;
let service: InferenceProcess | undefined;

// random conv layers in Keras 2's layout, written by python3-h5py (packages/ml's test script)
const writer = path.resolve(import.meta.dirname, "../../../packages/ml/test/write-keras-h5.py");

async function kerasFile(name: string, layers: "vgg16" | [string, number[]][]): Promise<Buffer> {
  const file = path.join(dir, name);
  const spec = layers === "vgg16" ? layers : JSON.stringify(layers);
  await promisify(execFile)("/usr/bin/python3", [writer, "--random", file, spec]);
  return readFile(file);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "cxr-web-backbones-"));
  service = await startInferenceProcess(PORT, TOKEN, {
    DATABASE_URL: t.appUrl,
    STORAGE_URL: path.join(dir, "objects"),
    MODELS_DIR: path.join(dir, "models"),
  });
  vi.stubEnv("INFERENCE_URL", service.url);
  vi.stubEnv("INFERENCE_TOKEN", TOKEN);
  vi.stubEnv("DATABASE_URL", t.appUrl);
  vi.stubEnv("NEXTAUTH_SECRET", "backbones-test-secret-0123456789");
}, 120_000);
afterAll(async () => {
  service?.stop();
  await rm(dir, { recursive: true, force: true });
});

function upload(session: Session | null, body: Buffer, options: { arch?: string; max?: number } = {}) {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(body)]), "weights_notop.h5");
  const request = new Request(`http://localhost/api/backbones?architecture=${options.arch ?? "vgg16"}`, {
    method: "POST",
    body: form,
  });
  return handleBackboneUpload(request, {
    db: t.db,
    storage: new LocalStorage(path.join(dir, "objects")),
    session,
    client: service!.client,
    maxFileBytes: options.max ?? 256 << 20,
    tmpDir: path.join(dir, "uploads"),
  });
}

async function answer(response: Response): Promise<[number, Record<string, unknown>]> {
  return [response.status, (await response.json()) as Record<string, unknown>];
}

const objects = () => readdir(path.join(dir, "objects"), { recursive: true }).catch(() => []);

describe("pretrained backbone upload", () => {
  it("refuses non-admins, a missing architecture, files above the cap and files that are not HDF5", async () => {
    const admin = sessionFor(t.users.admin);
    const h5 = Buffer.from("\x89HDF\r\n\x1a\n", "latin1");
    expect((await upload(null, h5)).status).toBe(401);
    expect((await upload(sessionFor(t.users.radiologist), h5)).status).toBe(403);
    expect(await answer(await upload(admin, h5, { arch: "compact" }))).toEqual([
      400,
      { error: "Choose the architecture: vgg16, densenet121 or resnet50." },
    ]);
    const [status, body] = await answer(await upload(admin, Buffer.alloc(4096), { max: 1024 }));
    expect([status, body.error]).toEqual([413, expect.stringMatching(/is above the limit of/)]);
    expect(await answer(await upload(admin, Buffer.from("<html>not weights</html>")))).toEqual([
      400,
      { error: "weights_notop.h5 is not an HDF5 file: upload a Keras weight file (.h5 or .weights.h5)." },
    ]);
    expect(await objects()).toEqual([]);
    expect(await readdir(path.join(dir, "uploads"))).toEqual([]);
  });

  it("passes on the service's refusal of another architecture, naming it; nothing is registered", async () => {
    const resnetLike = await kerasFile("resnet.h5", [["conv5_block3_3_conv", [1, 1, 4, 8]]]);
    const [status, body] = await answer(await upload(sessionFor(t.users.admin), resnetLike));
    expect(status).toBe(400);
    expect(body.error).toMatch(/^weights_notop\.h5: the file holds resnet50 weights .*not vgg16/);
    expect(await t.db.pretrainedBackbone.count()).toBe(0);
  });

  it("registers an admin's VGG16 file and lists it as the one training uses", async () => {
    const [status, body] = await answer(
      await upload(sessionFor(t.users.admin), await kerasFile("vgg16.h5", "vgg16")),
    );
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.backbone).toMatchObject({
      architecture: "vgg16",
      sourceFile: "weights_notop.h5",
      inUse: true,
    });
    const listed = await callerAs(t.db, sessionFor(t.users.admin)).backbones.list();
    expect(listed.map((b) => [b.architecture, b.createdBy.id, b.inUse])).toEqual([
      ["vgg16", t.users.admin.id, true],
    ]);
  });
});
