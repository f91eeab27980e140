// Pretrained backbones: a Keras weight file (uploaded to the shared object storage) becomes a checksummed backbone
// folder under MODELS_DIR/backbones and a registry row; training takes the newest one of its architecture.
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Prisma, recordAudit, type Db } from "@cxr/db";
import { DomainError, requireActiveAccount } from "@cxr/domain";
import type {
  BackboneArchitecture,
  BackboneView,
  ListBackbonesInput,
  RegisterBackboneInput,
  RegisterBackboneResult,
} from "@cxr/inference-api";
import { importKerasWeights, readBackboneFolder } from "@cxr/ml";
import { ObjectNotFoundError } from "@cxr/storage";
import type { Deps } from "../deps";
import { architectureToDb } from "../models/registry";

const include = { createdBy: { select: { id: true, name: true } } } as const;
type Row = Prisma.PretrainedBackboneGetPayload<{ include: typeof include }>;

const fromDb = Object.fromEntries(Object.entries(architectureToDb).map(([arch, db]) => [db, arch])) as Record<
  Row["architecture"],
  BackboneArchitecture
>;

function view(row: Row, inUse: boolean): BackboneView {
  return {
    id: row.id,
    architecture: fromDb[row.architecture],
    sourceFile: row.sourceFile,
    checksum: row.checksum,
    sourceSha256: row.sourceSha256,
    storageUri: row.storageUri,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    inUse,
  };
}

const newestFirst = [{ createdAt: "desc" }, { id: "desc" }] as const;

/** Every registered backbone, newest first; the newest of each architecture is the one in use. */
export async function listBackbones(db: Db, input: ListBackbonesInput): Promise<BackboneView[]> {
  const rows = await db.pretrainedBackbone.findMany({
    where: input.architecture ? { architecture: architectureToDb[input.architecture] } : {},
    orderBy: [...newestFirst],
    include,
  });
  const seen = new Set<string>();
  return rows.map((row) => {
    const inUse = !seen.has(row.architecture);
    seen.add(row.architecture);
    return view(row, inUse);
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Imports the stored Keras file as a backbone folder and registers it, as an active ADMIN's act (audited). The
 * same weights registered again return the existing entry. A file the importer refuses (another architecture,
 * a missing or mis-shaped layer, not HDF5) is BAD_REQUEST with the importer's message; nothing is kept.
 */
export async function registerBackbone(
  deps: Pick<Deps, "db" | "storage" | "config">,
  input: RegisterBackboneInput,
): Promise<RegisterBackboneResult> {
  const { db } = deps;
  await requireActiveAccount(db, input.actorId, ["ADMIN"]);
  let bytes: Buffer;
  try {
    bytes = await deps.storage.get(input.objectKey);
  } catch (error) {
    if (error instanceof ObjectNotFoundError)
      throw new DomainError("NOT_FOUND", `the uploaded file ${input.objectKey} is not in storage`);
    throw error;
  }
  const backbonesDir = join(deps.config.modelsDir, "backbones");
  await mkdir(backbonesDir, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), "cxr-backbone-"));
  const importedDir = join(backbonesDir, `.import-${randomUUID()}`);
  try {
    const file = join(work, "weights.h5");
    await writeFile(file, bytes);
    let imported;
    try {
      imported = await importKerasWeights({
        arch: input.architecture,
        file,
        outDir: importedDir,
        sourceName: input.sourceFile,
      });
    } catch (error) {
      throw new DomainError(
        "BAD_REQUEST",
        `${input.sourceFile}: ${error instanceof Error ? error.message.replace(file, input.sourceFile) : String(error)}`,
      );
    }
    const architecture = architectureToDb[input.architecture];
    const where = { architecture_checksum: { architecture, checksum: imported.digest } };
    const existing = await db.pretrainedBackbone.findUnique({ where, include });
    if (existing) return { backbone: await viewOf(db, existing), created: false };
    // named by content: a folder left by a registration that died before its row is the same bytes
    const dir = join(backbonesDir, `${input.architecture}-${imported.digest.slice(0, 16)}`);
    if (await exists(dir)) await rm(dir, { recursive: true, force: true });
    await rename(importedDir, dir);
    try {
      const row = await db.$transaction(async (tx) => {
        const created = await tx.pretrainedBackbone.create({
          data: {
            architecture,
            sourceFile: input.sourceFile,
            checksum: imported.digest,
            sourceSha256: imported.info.sourceSha256,
            storageUri: dir,
            createdById: input.actorId,
          },
          include,
        });
        await recordAudit(tx, {
          actorId: input.actorId,
          action: "backbone.registered",
          entityType: "PretrainedBackbone",
          entityId: created.id,
          after: {
            architecture: input.architecture,
            sourceFile: input.sourceFile,
            checksum: imported.digest,
            sourceSha256: imported.info.sourceSha256,
          },
        });
        return created;
      });
      return { backbone: await viewOf(db, row), created: true };
    } catch (error) {
      // registered at the same moment by another call: same folder, one row
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
        const row = await db.pretrainedBackbone.findUniqueOrThrow({ where, include });
        return { backbone: await viewOf(db, row), created: false };
      }
      throw error;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
    await rm(importedDir, { recursive: true, force: true });
  }
}

async function viewOf(db: Db, row: Row): Promise<BackboneView> {
  const newest = await db.pretrainedBackbone.findFirst({
    where: { architecture: row.architecture },
    orderBy: [...newestFirst],
    select: { id: true },
  });
  return view(row, newest?.id === row.id);
}

export interface BackboneForTraining {
  id: string;
  /** a Layers model folder: `buildClassifier({ weightsDir })` / `trainModelVersion`'s `weightsDir` */
  dir: string;
  checksum: string;
}

/**
 * The registered backbone training should start from for an architecture (the newest), its folder verified
 * against its checksums and its registered digest; null when none is registered (training starts random).
 */
export async function pretrainedBackboneFor(
  deps: Pick<Deps, "db">,
  arch: BackboneArchitecture | "compact",
): Promise<BackboneForTraining | null> {
  if (arch === "compact") return null;
  const row = await deps.db.pretrainedBackbone.findFirst({
    where: { architecture: architectureToDb[arch] },
    orderBy: [...newestFirst],
  });
  if (!row) return null;
  const folder = await readBackboneFolder(row.storageUri);
  if (folder.digest !== row.checksum || folder.info.arch !== arch)
    throw new Error(
      `pretrained backbone ${row.id} in ${row.storageUri} is not the one registered (digest ${folder.digest}, registered ${row.checksum})`,
    );
  return { id: row.id, dir: row.storageUri, checksum: row.checksum };
}
