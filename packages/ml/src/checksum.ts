// SHA-256 of the files of a folder, and one digest over them, so a model version can prove it is unchanged.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

export const checksumsSchema = z.object({
  algorithm: z.literal("sha256"),
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Checksums = z.infer<typeof checksumsSchema>;

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The digest of a set of file hashes: sha256 over "name  hash\n" lines in name order (sha256sum's format). */
export function digestOf(files: Record<string, string>): string {
  return sha256(
    Object.keys(files)
      .sort()
      .map((name) => `${files[name]}  ${name}\n`)
      .join(""),
  );
}

export async function checksumFiles(dir: string, names: readonly string[]): Promise<Checksums> {
  const files: Record<string, string> = {};
  for (const name of [...names].sort()) files[name] = sha256(await readFile(join(dir, name)));
  return { algorithm: "sha256", files, digest: digestOf(files) };
}

/** Throws naming the first file that is missing or differs. */
export async function verifyChecksums(dir: string, sums: Checksums): Promise<void> {
  if (digestOf(sums.files) !== sums.digest) throw new Error(`checksums in ${dir} do not match their digest`);
  for (const [name, expected] of Object.entries(sums.files)) {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, name));
    } catch {
      throw new Error(`model version ${dir} is missing ${name}`);
    }
    if (sha256(bytes) !== expected)
      throw new Error(`checksum mismatch for ${join(dir, name)}: the model version was modified`);
  }
}
