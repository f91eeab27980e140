// Content-addressed storage: the local folder, and S3 through the real AWS SDK against s3rver (an S3 API
// server from npm, on loopback) standing in for MinIO.
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../src/hash";
import { createStorage } from "../src/create";
import { LocalStorage } from "../src/local";
import { S3Storage } from "../src/s3";
import { ObjectCorruptError, ObjectNotFoundError, objectPath, type ObjectStorage } from "../src/types";

let dir: string;
let s3: S3rver;
let endpoint: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "cxr-storage-"));
  s3 = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: path.join(dir, "s3"),
    configureBuckets: [{ name: "cxr" }],
  });
  const { port } = await s3.run();
  endpoint = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

async function all(storage: ObjectStorage): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of storage.list()) keys.push(key);
  return keys.sort();
}

function contract(name: string, make: () => ObjectStorage) {
  describe(name, () => {
    it("stores bytes under their SHA-256 once, returns them verified, lists and deletes them", async () => {
      const storage = make();
      const bytes = new TextEncoder().encode(`hello ${name}`);
      const first = await storage.put(bytes, { contentType: "text/plain" });
      expect(first).toEqual({ sha256: sha256Hex(bytes), byteSize: bytes.length, created: true });
      const again = await storage.put(bytes);
      expect(again.created).toBe(false);
      expect(await storage.has(first.sha256)).toBe(true);
      expect(new Uint8Array(await storage.get(first.sha256))).toEqual(bytes);
      expect(await all(storage)).toEqual([first.sha256]);
      await storage.delete(first.sha256);
      expect(await storage.has(first.sha256)).toBe(false);
      await expect(storage.get(first.sha256)).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it("refuses keys that are not SHA-256 digests (no path tricks)", async () => {
      await expect(make().get("../../etc/passwd")).rejects.toThrow(/SHA-256/);
    });
  });
}

contract("local folder", () => new LocalStorage(path.join(dir, "local")));
contract("S3 (s3rver on loopback)", () =>
  createStorage({
    STORAGE_URL: "s3://cxr/objects",
    S3_ENDPOINT: endpoint,
    S3_REGION: "us-east-1",
    S3_ACCESS_KEY_ID: "S3RVER",
    S3_SECRET_ACCESS_KEY: "S3RVER",
  }),
);

describe("local folder specifics", () => {
  it("writes atomically: concurrent puts of the same bytes leave one complete object and no temporary file", async () => {
    const storage = new LocalStorage(path.join(dir, "atomic"));
    const bytes = new Uint8Array(3_000_000).map((_, i) => i % 251);
    const results = await Promise.all(Array.from({ length: 6 }, () => storage.put(bytes)));
    const sha = sha256Hex(bytes);
    expect(new Set(results.map((r) => r.sha256))).toEqual(new Set([sha]));
    expect((await storage.get(sha)).length).toBe(bytes.length);
    expect(await readdir(path.join(dir, "atomic", ".tmp"))).toEqual([]);
  });

  it("keeps objects private: files 0600, folders 0700, an older world-readable folder tightened", async () => {
    const mode = async (p: string) => (await stat(p)).mode & 0o777;
    const root = path.join(dir, "private");
    const storage = new LocalStorage(root);
    const { sha256 } = await storage.put(new TextEncoder().encode("patient pixels"));
    const file = path.join(root, objectPath(sha256));
    expect(await mode(file)).toBe(0o600);
    for (const folder of [
      root,
      path.join(root, ".tmp"),
      path.dirname(file),
      path.dirname(path.dirname(file)),
    ])
      expect(await mode(folder)).toBe(0o700);

    const older = path.join(dir, "older");
    await mkdir(older, { mode: 0o755 });
    await chmod(older, 0o755);
    await new LocalStorage(older).put(new TextEncoder().encode("x"));
    expect(await mode(older)).toBe(0o700);
  });

  it("detects an object whose bytes were changed on disk", async () => {
    const storage = new LocalStorage(path.join(dir, "corrupt"));
    const { sha256 } = await storage.put(new TextEncoder().encode("original"));
    await writeFile(path.join(dir, "corrupt", objectPath(sha256)), "tampered");
    await expect(storage.get(sha256)).rejects.toBeInstanceOf(ObjectCorruptError);
  });

  it("STORAGE_URL picks the backend: a folder, file: or s3://", () => {
    expect(createStorage({ STORAGE_URL: "./data/objects" })).toBeInstanceOf(LocalStorage);
    expect(createStorage({ STORAGE_URL: "file:///tmp/x" }).description).toBe("folder /tmp/x");
    const s3Storage = createStorage({ STORAGE_URL: "s3://bucket/prefix" });
    expect(s3Storage).toBeInstanceOf(S3Storage);
    (s3Storage as S3Storage).destroy();
    expect(() => createStorage({ STORAGE_URL: "ftp://x/y" })).toThrow(/only folders, file: and s3/);
  });
});
