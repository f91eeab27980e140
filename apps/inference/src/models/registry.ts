// The model registry: versions are immutable rows + folders; only their status changes (champion, retired...).
import {
  recordAudit,
  type Architecture as DbArchitecture,
  type Db,
  type ModelStatus,
  type Prisma,
} from "@cxr/db";
import { DomainError, lockKey, requireActiveAccount, withAdvisoryLock } from "@cxr/domain";
import type {
  ChampionChange,
  ModelDecisionInput,
  ModelView,
  PromoteInput,
  RollbackInput,
} from "@cxr/inference-api";
import type { Architecture } from "../engine/types";

export const architectureToDb: Record<Architecture, DbArchitecture> = {
  compact: "COMPACT_CNN",
  vgg16: "VGG16",
  densenet121: "DENSENET121",
  resnet50: "RESNET50",
};

const person = { select: { id: true, name: true } } as const;
const include = {
  labelSet: { select: { name: true } },
  promotedBy: person,
  trainingRun: { select: { mode: true, labelSources: true, epochs: true, startedBy: person } },
} satisfies Prisma.ModelVersionInclude;
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
    promotedBy: row.promotedBy,
    training: row.trainingRun,
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

/** Who acts: an active ADMIN, read again from the database (the caller only names them). */
async function requireAdmin(tx: Prisma.TransactionClient, actorId: string): Promise<void> {
  await requireActiveAccount(tx, actorId, ["ADMIN"]);
}

/** Holds the label set's champion lock for the rest of the transaction: changes of its champion queue here. */
export const lockChampion = (tx: Prisma.TransactionClient, labelSetId: string) =>
  withAdvisoryLock(tx, lockKey("champion", labelSetId));

/** The version as it is now, read under the champion lock. */
async function lockedVersion(tx: Prisma.TransactionClient, id: string) {
  const found = await tx.modelVersion.findUnique({ where: { id }, select: { labelSetId: true } });
  if (!found) throw new DomainError("NOT_FOUND", `model version ${id} does not exist`);
  await lockChampion(tx, found.labelSetId);
  return tx.modelVersion.findUniqueOrThrow({ where: { id } });
}

/**
 * Inside a transaction that holds the champion lock: `target` becomes the champion, the former one is retired,
 * and the change is audited. The partial unique index keeps one champion per label set even if a caller forgot
 * the lock.
 */
export async function changeChampion(
  tx: Prisma.TransactionClient,
  target: { id: string; labelSetId: string; status: ModelStatus },
  audit: { action: string; actorId: string | null; reason?: string; after?: Record<string, unknown> },
): Promise<ChampionChange> {
  const current = await tx.modelVersion.findFirst({
    where: { labelSetId: target.labelSetId, status: "CHAMPION" },
  });
  if (current) await tx.modelVersion.update({ where: { id: current.id }, data: { status: "RETIRED" } });
  const champion = await tx.modelVersion.update({
    where: { id: target.id },
    data: { status: "CHAMPION", promotedAt: new Date(), promotedById: audit.actorId },
    include,
  });
  await recordAudit(tx, {
    actorId: audit.actorId,
    action: audit.action,
    entityType: "ModelVersion",
    entityId: target.id,
    reason: audit.reason,
    before: { status: target.status, champion: current?.id ?? null },
    after: { status: "CHAMPION", ...audit.after },
  });
  return { champion: view(champion), retired: current?.id ?? null };
}

/** Whether the promotion gate passed for this version when it was registered (false: failed or never measured). */
function gatePassed(metrics: unknown): boolean {
  const gate = (metrics as { gate?: { passed?: unknown } | null } | null)?.gate;
  return gate?.passed === true;
}

/**
 * A person makes a candidate the champion of its label set; the former champion is retired. A candidate that
 * did not pass the gate needs `overrideGate` and a reason (kept in the audit event); REJECTED and RETIRED
 * versions are refused (rollback is the way back to a former champion).
 */
export async function promoteModel(db: Db, input: PromoteInput): Promise<ChampionChange> {
  if (input.overrideGate && !input.reason?.trim())
    throw new DomainError("BAD_REQUEST", "overriding the promotion gate needs a reason");
  return db.$transaction(async (tx) => {
    await requireAdmin(tx, input.actorId);
    const target = await lockedVersion(tx, input.id);
    if (target.status !== "CANDIDATE")
      throw new DomainError(
        "CONFLICT",
        target.status === "CHAMPION"
          ? `v${target.version} is already the champion`
          : `v${target.version} is ${target.status.toLowerCase()}: only a candidate can be promoted` +
              (target.status === "RETIRED" ? " (roll back to return to a former champion)" : ""),
      );
    const passed = gatePassed(target.metrics);
    if (!passed && !input.overrideGate)
      throw new DomainError(
        "PRECONDITION_FAILED",
        `v${target.version} did not pass the promotion gate: promote it with an override and a reason`,
      );
    return changeChampion(tx, target, {
      action: "model.promoted",
      actorId: input.actorId,
      reason: input.reason,
      after: { gateOverridden: !passed },
    });
  });
}

/** Back to an earlier champion: the one named, or the most recently promoted retired version. */
export async function rollbackModel(db: Db, input: RollbackInput): Promise<ChampionChange> {
  return db.$transaction(async (tx) => {
    await requireAdmin(tx, input.actorId);
    const found = input.toId
      ? await tx.modelVersion.findFirst({ where: { id: input.toId, labelSet: { name: input.labelSet } } })
      : await tx.modelVersion.findFirst({
          where: { labelSet: { name: input.labelSet }, status: "RETIRED", promotedAt: { not: null } },
          orderBy: { promotedAt: "desc" },
        });
    if (!found)
      throw new DomainError(
        "NOT_FOUND",
        `label set ${input.labelSet} has no earlier champion to roll back to`,
      );
    const target = await lockedVersion(tx, found.id);
    if (target.status === "CHAMPION")
      throw new DomainError("CONFLICT", `v${target.version} is already the champion`);
    if (target.promotedAt === null || target.status !== "RETIRED")
      throw new DomainError("BAD_REQUEST", `v${target.version} was never a champion; promote it instead`);
    return changeChampion(tx, target, {
      action: "model.rolled_back",
      actorId: input.actorId,
      reason: input.reason,
    });
  });
}

/** A person's decision on a candidate the gate did not promote; serialised with promotions by the champion lock. */
export async function rejectModel(db: Db, input: ModelDecisionInput): Promise<ModelView> {
  return db.$transaction(async (tx) => {
    await requireAdmin(tx, input.actorId);
    const target = await lockedVersion(tx, input.id);
    if (target.status !== "CANDIDATE")
      throw new DomainError("CONFLICT", `v${target.version} is ${target.status}, not a candidate`);
    const row = await tx.modelVersion.update({
      where: { id: target.id },
      data: { status: "REJECTED" },
      include,
    });
    await recordAudit(tx, {
      actorId: input.actorId,
      action: "model.rejected",
      entityType: "ModelVersion",
      entityId: target.id,
      reason: input.reason,
      before: { status: target.status },
      after: { status: "REJECTED" },
    });
    return view(row);
  });
}
