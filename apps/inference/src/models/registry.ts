// The model registry: versions are immutable rows + folders; only their status changes (champion, retired...).
import {
  recordAudit,
  type Architecture as DbArchitecture,
  type Db,
  type ModelStatus,
  type Prisma,
} from "@cxr/db";
import { DomainError, lockKey, withAdvisoryLock } from "@cxr/domain";
import type { ChampionChange, ModelView } from "@cxr/inference-api";
import type { Architecture } from "../engine/types";

export const architectureToDb: Record<Architecture, DbArchitecture> = {
  compact: "COMPACT_CNN",
  vgg16: "VGG16",
  densenet121: "DENSENET121",
  resnet50: "RESNET50",
};

const include = { labelSet: { select: { name: true } } } satisfies Prisma.ModelVersionInclude;
type Row = Prisma.ModelVersionGetPayload<{ include: typeof include }>;

/** A version as the contract shows it. */
function view(row: Row): ModelView {
  return {
    id: row.id,
    labelSet: row.labelSet.name,
    labelSetId: row.labelSetId,
    version: row.version,
    name: row.name,
    architecture: row.architecture,
    status: row.status,
    inputSize: row.inputSize,
    targetLayer: row.targetLayer,
    classKeys: row.classKeys,
    checksum: row.checksum,
    metrics: row.metrics,
    history: row.history,
    trainingRunId: row.trainingRunId,
    parentId: row.parentId,
    createdAt: row.createdAt,
    promotedAt: row.promotedAt,
  };
}

export async function listModels(
  db: Db,
  input: { labelSet?: string; status?: ModelStatus },
): Promise<ModelView[]> {
  const rows = await db.modelVersion.findMany({
    where: { labelSet: input.labelSet ? { name: input.labelSet } : undefined, status: input.status },
    include,
    orderBy: [{ labelSetId: "asc" }, { version: "desc" }],
  });
  return rows.map(view);
}

export async function getModel(db: Db, input: { id: string }): Promise<ModelView> {
  const row = await db.modelVersion.findUnique({ where: { id: input.id }, include });
  if (!row) throw new DomainError("NOT_FOUND", `model version ${input.id} does not exist`);
  return view(row);
}

/** The version a request means: the one named, else the champion of the label set named, else the latest champion. */
export async function resolveModelVersion(
  db: Db,
  input: { modelVersionId?: string; labelSet?: string },
): Promise<ModelView> {
  if (input.modelVersionId) return getModel(db, { id: input.modelVersionId });
  const row = await db.modelVersion.findFirst({
    where: { status: "CHAMPION", labelSet: input.labelSet ? { name: input.labelSet } : undefined },
    include,
    orderBy: { promotedAt: "desc" },
  });
  if (!row)
    throw new DomainError(
      "PRECONDITION_FAILED",
      input.labelSet
        ? `label set ${input.labelSet} has no champion model yet: train or promote one`
        : "no champion model yet: train or promote one",
    );
  return view(row);
}

export interface PromoteInput {
  id: string;
  actorId?: string;
  reason?: string;
}

/** Makes a version the champion of its label set; the former champion is retired. */
export async function promoteModel(
  db: Db,
  input: PromoteInput,
  action = "model.promoted",
): Promise<ChampionChange> {
  return db.$transaction(async (tx) => {
    const target = await tx.modelVersion.findUnique({ where: { id: input.id } });
    if (!target) throw new DomainError("NOT_FOUND", `model version ${input.id} does not exist`);
    // one champion per label set: promotions of the same label set wait for each other here
    await withAdvisoryLock(tx, lockKey("champion", target.labelSetId));
    const current = await tx.modelVersion.findFirst({
      where: { labelSetId: target.labelSetId, status: "CHAMPION" },
    });
    if (current?.id === target.id)
      throw new DomainError("CONFLICT", `v${target.version} is already the champion`);
    if (current) await tx.modelVersion.update({ where: { id: current.id }, data: { status: "RETIRED" } });
    const champion = await tx.modelVersion.update({
      where: { id: target.id },
      data: { status: "CHAMPION", promotedAt: new Date(), promotedById: input.actorId ?? null },
      include,
    });
    await recordAudit(tx, {
      actorId: input.actorId ?? null,
      action,
      entityType: "ModelVersion",
      entityId: target.id,
      reason: input.reason,
      before: { status: target.status, champion: current?.id ?? null },
      after: { status: "CHAMPION" },
    });
    return { champion: view(champion), retired: current?.id ?? null };
  });
}

/** Back to an earlier champion: the one named, or the most recently promoted retired version. */
export async function rollbackModel(
  db: Db,
  input: { labelSet: string; toId?: string; actorId?: string; reason?: string },
): Promise<ChampionChange> {
  const target = input.toId
    ? await db.modelVersion.findFirst({ where: { id: input.toId, labelSet: { name: input.labelSet } } })
    : await db.modelVersion.findFirst({
        where: { labelSet: { name: input.labelSet }, status: "RETIRED", promotedAt: { not: null } },
        orderBy: { promotedAt: "desc" },
      });
  if (!target)
    throw new DomainError("NOT_FOUND", `label set ${input.labelSet} has no earlier champion to roll back to`);
  if (target.promotedAt === null)
    throw new DomainError("BAD_REQUEST", `v${target.version} was never a champion; promote it instead`);
  return promoteModel(
    db,
    { id: target.id, actorId: input.actorId, reason: input.reason },
    "model.rolled_back",
  );
}

/** A person's decision on a candidate the gate did not promote. */
export async function rejectModel(
  db: Db,
  input: { id: string; actorId?: string; reason?: string },
): Promise<ModelView> {
  const target = await db.modelVersion.findUnique({ where: { id: input.id } });
  if (!target) throw new DomainError("NOT_FOUND", `model version ${input.id} does not exist`);
  if (target.status !== "CANDIDATE")
    throw new DomainError("CONFLICT", `v${target.version} is ${target.status}, not a candidate`);
  const row = await db.modelVersion.update({
    where: { id: target.id },
    data: { status: "REJECTED" },
    include,
  });
  await recordAudit(db, {
    actorId: input.actorId ?? null,
    action: "model.rejected",
    entityType: "ModelVersion",
    entityId: target.id,
    reason: input.reason,
    before: { status: target.status },
    after: { status: "REJECTED" },
  });
  return view(row);
}
