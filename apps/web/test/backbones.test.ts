// POST /api/backbones' logic and backbones.list against real PostgreSQL, a storage folder and a real inference
// service (its own process over HTTP, sharing the storage as in a deployment): admins only, the size cap, a file
// that is not HDF5 or is for another architecture refused with the reason and nothing registered, and a Keras
// VGG16 file (written by python3-h5py) registered and listed as the one training uses.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createInferenceClient } from "@cxr/inference-api/client";
import { LocalStorage } from "@cxr/storage";
import { type Session } from "next-auth";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handleBackboneUpload } from "~/server/services/backbones";
import { callerAs, sessionFor, useSeededDatabase } from "./helpers";

const TOKEN = "backbones-test-token-0123456789";
const PORT = 4711;
const t = useSeededDatabase();
let dir: string;
let service: ChildProcess | undefined;
const client = createInferenceClient({ url: `http://127.0.0.1:${PORT}`, token: TOKEN });

// Keras 2 layout; `layers` = [name, kernel shape][]: an independent writer of the documented format
const writer = `
import sys, json, h5py, numpy as np
rng = np.random.default_rng(3)
layers = json.loads(sys.argv[2])
with h5py.File(sys.argv[1], "w") as f:
    f.attrs["layer_names"] = [name.encode() for name, _ in layers]
    for name, shape in layers:
        g = f.create_group(name)
        g.attrs["weight_names"] = [f"{name}/kernel:0".encode(), f"{name}/bias:0".encode()]
        g.create_dataset(f"{name}/kernel:0", data=rng.standard_normal(shape, dtype="f4") * 0.05)
        g.create_dataset(f"{name}/bias:0", data=np.zeros(shape[-1], "f4"))
`;
const vgg16Layers = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512].reduce<{
  layers: [string, number[]][];
  cin: number;
  block: number;
  conv: number;
}>(
  (acc, filters) => {
    if (filters === 0) return { ...acc, block: acc.block + 1, conv: 1 };
    acc.layers.push([`block${acc.block}_conv${acc.conv}`, [3, 3, acc.cin, filters]]);
    return { ...acc, cin: filters, conv: acc.conv + 1 };
  },
  { layers: [], cin: 3, block: 1, conv: 1 },
).layers;

async function kerasFile(name: string, layers: [string, number[]][]): Promise<Buffer> {
  const file = path.join(dir, name);
  await promisify(execFile)("/usr/bin/python3", ["-c", writer, file, JSON.stringify(layers)]);
  return readFile(file);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "cxr-web-backbones-"));
  service = spawn(process.execPath, ["--import", "tsx", "apps/inference/src/main.ts"], {
    cwd: path.resolve(import.meta.dirname, "../../.."),
    stdio: "inherit",
    env: {
      ...process.env,
      INFERENCE_TOKEN: TOKEN,
      INFERENCE_PORT: String(PORT),
      DATABASE_URL: t.appUrl,
      STORAGE_URL: path.join(dir, "objects"),
      MODELS_DIR: path.join(dir, "models"),
      ML_BACKEND: "cpu",
      DEMO: "off",
    },
  });
  for (let tries = 0; ; tries++) {
    const up = await client.system.info.query().then(
      () => true,
      () => false,
    );
    if (up) break;
    if (tries > 360) throw new Error("the inference service did not start");
    await new Promise((r) => setTimeout(r, 250));
  }
  vi.stubEnv("INFERENCE_URL", `http://127.0.0.1:${PORT}`);
  vi.stubEnv("INFERENCE_TOKEN", TOKEN);
  vi.stubEnv("DATABASE_URL", t.appUrl);
  vi.stubEnv("NEXTAUTH_SECRET", "backbones-test-secret-0123456789");
}, 120_000);
afterAll(async () => {
  service?.kill("SIGTERM");
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
    client,
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
      await upload(sessionFor(t.users.admin), await kerasFile("vgg16.h5", vgg16Layers)),
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
