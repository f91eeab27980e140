// Pretrained backbones through the service over HTTP, on a real PostgreSQL: an admin registers a Keras VGG16 file
// (written here by python3-h5py in Keras 2's layout) from the object storage; it becomes a checksummed folder and
// a row, audited, that training finds with pretrainedBackboneFor; the same file again is the same entry; a file
// of another architecture or not HDF5 is BAD_REQUEST with the reason and leaves nothing behind.
import { execFile } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path, { join } from "node:path";
import { promisify } from "node:util";
import { createDb } from "@cxr/db";
import { createTestDatabase } from "@cxr/db/testing";
import { createInferenceClient, type InferenceClient } from "@cxr/inference-api/client";
import { LocalStorage } from "@cxr/storage";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { pretrainedBackboneFor } from "../src/backbones/registry";
import { startTestService, TOKEN, type TestService } from "./fixtures/service";
import { failure } from "./helpers";

// VGG16 without its top, Keras 2 layout, random values: written by python3-h5py, an independent writer of the
// documented format (packages/ml's test script)
const writer = path.resolve(import.meta.dirname, "../../../packages/ml/test/write-keras-h5.py");

let svc: TestService;
let client: InferenceClient;
let storage: LocalStorage;
let adminId = "";
let radiologistId = "";
let vggKey: string;

beforeAll(async () => {
  svc = await startTestService(inject("testDatabaseAdminUrl"));
  client = createInferenceClient({ url: svc.url, token: TOKEN });
  storage = new LocalStorage(svc.storageDir);
  const person = async (role: "ADMIN" | "RADIOLOGIST", name: string) =>
    (await svc.db.user.create({ data: { email: `${role}@bb.test`, name, role } })).id;
  adminId = await person("ADMIN", "Admin");
  radiologistId = await person("RADIOLOGIST", "Rad");

  const file = join(svc.modelsDir, "..", "vgg16_notop.h5");
  await promisify(execFile)("/usr/bin/python3", [writer, "--random", file, "vgg16"]);
  vggKey = (await storage.put(await readFile(file))).sha256;
});
afterAll(() => svc?.stop());

const register = (architecture: "vgg16" | "resnet50", objectKey: string, actorId = adminId) =>
  client.backbones.register.mutate({ architecture, sourceFile: "vgg16_notop.h5", objectKey, actorId });

describe("pretrained backbone registry", () => {
  it("refuses a file of another architecture and one that is not HDF5, keeping nothing", async () => {
    const wrong = await failure(register("resnet50", vggKey));
    expect(wrong.data?.code).toBe("BAD_REQUEST");
    expect(wrong.message).toMatch(/^vgg16_notop\.h5: the file holds vgg16 weights .*not resnet50/);
    const garbage = (await storage.put(Buffer.from("not a weight file at all"))).sha256;
    const notHdf5 = await failure(register("vgg16", garbage));
    expect(notHdf5.data?.code).toBe("BAD_REQUEST");
    expect(notHdf5.message).toMatch(/vgg16_notop\.h5 is not an HDF5 file/);
    expect((await failure(register("vgg16", "f".repeat(64)))).data?.code).toBe("NOT_FOUND");
    expect((await failure(register("vgg16", vggKey, radiologistId))).data?.code).toBe("FORBIDDEN");
    expect(await svc.db.pretrainedBackbone.count()).toBe(0);
    expect(await readdir(join(svc.modelsDir, "backbones"))).toEqual([]);
    expect(await pretrainedBackboneFor(svc.service.deps, "vgg16")).toBeNull();
  });

  it("registers an admin's upload once, audited, and hands training its verified folder", async () => {
    const first = await register("vgg16", vggKey);
    expect(first.created).toBe(true);
    expect(first.backbone).toMatchObject({
      architecture: "vgg16",
      sourceFile: "vgg16_notop.h5",
      sourceSha256: vggKey,
      createdBy: { id: adminId, name: "Admin" },
      inUse: true,
    });
    const again = await register("vgg16", vggKey);
    expect(again).toMatchObject({ created: false, backbone: { id: first.backbone.id } });
    expect(await client.backbones.list.query({})).toHaveLength(1);
    expect(await client.backbones.list.query({ architecture: "resnet50" })).toEqual([]);
    const audit = await svc.db.auditEvent.findMany({ where: { action: "backbone.registered" } });
    expect(audit).toMatchObject([{ actorId: adminId, entityId: first.backbone.id }]);

    const forTraining = await pretrainedBackboneFor(svc.service.deps, "vgg16");
    expect(forTraining).toEqual({
      id: first.backbone.id,
      dir: first.backbone.storageUri,
      checksum: first.backbone.checksum,
    });
    expect(await pretrainedBackboneFor(svc.service.deps, "resnet50")).toBeNull();
    // a folder changed after registration is refused rather than trained from
    await writeFile(join(first.backbone.storageUri, "backbone.json"), "{}");
    await expect(pretrainedBackboneFor(svc.service.deps, "vgg16")).rejects.toThrow(/checksum mismatch/);
  });

  it("the services' least-privilege role can write and read the registry (default grants)", async () => {
    const database = await createTestDatabase(inject("testDatabaseAdminUrl"));
    const app = createDb(database.appUrl, { max: 1 });
    try {
      const user = await app.user.create({ data: { email: "a@grants.test", name: "A", role: "ADMIN" } });
      await app.pretrainedBackbone.create({
        data: {
          architecture: "RESNET50",
          sourceFile: "r.h5",
          checksum: "c".repeat(64),
          sourceSha256: "d".repeat(64),
          storageUri: "/nowhere",
          createdById: user.id,
        },
      });
      expect(await app.pretrainedBackbone.count()).toBe(1);
    } finally {
      await app.$disconnect();
      await database.close();
    }
  });
});
