// The retraining policy per label set: after N new consensus or corrected labels since the champion, the
// service's upkeep starts a run of the policy's mode and architecture, promoted only when the gate passes.
import { recordAudit, type Db, type Prisma } from "@cxr/db";
import { DomainError, requireActiveAccount } from "@cxr/domain";
import {
  labelSetInputSchema,
  setPolicyInputSchema,
  type LabelSetInput,
  type PolicyView,
  type SetPolicyInput,
} from "@cxr/inference-api";
import type { Deps } from "../deps";
import { architectureToDb } from "../models/registry";
import { labelsSince } from "./preview";
import { startTraining } from "./start";

/** The labels a policy counts: people's, not imported ones. */
const countedSources = ["CONSENSUS", "CORRECTED"] as const;
/** What a policy's run learns from: everything labelled. */
const runSources = ["CONSENSUS", "CORRECTED", "IMPORTED"] as const;

const policyInclude = {
  labelSet: { select: { id: true, name: true } },
  updatedBy: { select: { id: true, name: true } },
} satisfies Prisma.RetrainingPolicyInclude;
type PolicyRow = Prisma.RetrainingPolicyGetPayload<{ include: typeof policyInclude }>;

const dbToArchitecture = Object.fromEntries(
  Object.entries(architectureToDb).map(([k, v]) => [v, k as keyof typeof architectureToDb]),
);

/**
 * Labels newer than the champion and than the last trigger: a run whose candidate failed the gate is not
 * started again for the same labels at every upkeep.
 */
async function countNewLabels(db: Db, policy: { labelSetId: string; lastTriggeredAt: Date | null }) {
  const champion = await db.modelVersion.findFirst({
    where: { labelSetId: policy.labelSetId, status: "CHAMPION" },
    select: { createdAt: true },
  });
  const times = [champion?.createdAt, policy.lastTriggeredAt].filter((t): t is Date => t instanceof Date);
  const since = times.length ? new Date(Math.max(...times.map((t) => t.getTime()))) : null;
  return (await labelsSince(db, policy.labelSetId, countedSources, since)).length;
}

async function policyView(db: Db, row: PolicyRow): Promise<PolicyView> {
  const lastRun = row.lastRunId
    ? await db.trainingRun.findUnique({ where: { id: row.lastRunId }, select: { id: true, status: true } })
    : null;
  return {
    labelSet: row.labelSet.name,
    enabled: row.enabled,
    threshold: row.threshold,
    mode: row.mode,
    architecture: row.architecture,
    epochs: row.epochs,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
    newLabels: await countNewLabels(db, row),
    lastTriggeredAt: row.lastTriggeredAt,
    lastRun,
  };
}

async function labelSetId(db: Db, name: string): Promise<string> {
  const set = await db.labelSet.findUnique({ where: { name }, select: { id: true } });
  if (!set) throw new DomainError("NOT_FOUND", `label set ${name} does not exist`);
  return set.id;
}

export async function getPolicy(db: Db, raw: LabelSetInput): Promise<PolicyView | null> {
  const input = labelSetInputSchema.parse(raw);
  const id = await labelSetId(db, input.labelSet);
  const row = await db.retrainingPolicy.findUnique({ where: { labelSetId: id }, include: policyInclude });
  return row ? policyView(db, row) : null;
}

export async function setPolicy(db: Db, raw: SetPolicyInput): Promise<PolicyView> {
  const input = setPolicyInputSchema.parse(raw);
  await requireActiveAccount(db, input.actorId, ["ADMIN"]);
  const id = await labelSetId(db, input.labelSet);
  const data = {
    enabled: input.enabled,
    threshold: input.threshold,
    mode: input.mode,
    architecture: architectureToDb[input.architecture],
    epochs: input.epochs,
    updatedById: input.actorId,
  };
  const row = await db.$transaction(async (tx) => {
    const before = await tx.retrainingPolicy.findUnique({ where: { labelSetId: id } });
    const after = await tx.retrainingPolicy.upsert({
      where: { labelSetId: id },
      create: { labelSetId: id, ...data },
      update: data,
      include: policyInclude,
    });
    await recordAudit(tx, {
      actorId: input.actorId,
      action: before ? "retraining_policy.updated" : "retraining_policy.created",
      entityType: "RetrainingPolicy",
      entityId: id,
      before: before
        ? {
            enabled: before.enabled,
            threshold: before.threshold,
            mode: before.mode,
            architecture: before.architecture,
            epochs: before.epochs,
          }
        : undefined,
      after: { ...data, labelSet: input.labelSet },
    });
    return after;
  });
  return policyView(db, row);
}

/**
 * The upkeep's check: each enabled policy whose label set has `threshold` new labels and no run queued or
 * running starts one (as the service, autoPromote on). Replicas race for it with a conditional update of the
 * last trigger, so one run starts. Returns the ids of the runs started.
 */
export async function checkPolicies(deps: Pick<Deps, "db" | "queue">): Promise<string[]> {
  const started: string[] = [];
  for (const policy of await deps.db.retrainingPolicy.findMany({
    where: { enabled: true },
    include: policyInclude,
  })) {
    if ((await countNewLabels(deps.db, policy)) < policy.threshold) continue;
    const busy = await deps.db.trainingRun.count({
      where: { labelSetId: policy.labelSetId, status: { in: ["QUEUED", "RUNNING"] } },
    });
    if (busy > 0) continue;
    const claimed = await deps.db.retrainingPolicy.updateMany({
      where: { labelSetId: policy.labelSetId, lastTriggeredAt: policy.lastTriggeredAt },
      data: { lastTriggeredAt: new Date() },
    });
    if (claimed.count === 0) continue; // another replica triggered it
    try {
      const run = await startTraining(deps, {
        labelSet: policy.labelSet.name,
        architecture: dbToArchitecture[policy.architecture] ?? "compact",
        mode: policy.mode,
        labelSources: [...runSources],
        epochs: policy.epochs,
        autoPromote: true,
        policy: true,
      });
      await deps.db.retrainingPolicy.update({
        where: { labelSetId: policy.labelSetId },
        data: { lastRunId: run.id },
      });
      started.push(run.id);
    } catch (error) {
      // refused (no champion of that architecture, a class without examples): the trigger is recorded, and the
      // next one waits for another `threshold` labels rather than failing at every upkeep
      if (!(error instanceof DomainError)) throw error;
      console.error(`retraining policy of ${policy.labelSet.name} could not start a run: ${error.message}`);
    }
  }
  return started;
}
