import { recordAudit, type Prisma } from "@cxr/db";
import { DomainError, requireActiveAccount } from "@cxr/domain";
import { startTrainingSchema, type RunView, type StartTrainingRequest } from "@cxr/inference-api";
import type { Deps } from "../deps";
import { architectureToDb } from "../models/registry";
import { parentVersionFor } from "./parent";
import { queueNames } from "../queue/boss";
import { runInclude, runView } from "./view";

/** Creates a QUEUED TrainingRun and its train job; whichever replica is free runs it. */
export async function startTraining(
  deps: Pick<Deps, "db" | "queue">,
  raw: StartTrainingRequest & { demo?: boolean },
): Promise<RunView> {
  const input = startTrainingSchema.parse(raw);
  // a person's run: they must be an active admin now (the service's own demo run names no one)
  if (input.startedById !== undefined) await requireActiveAccount(deps.db, input.startedById, ["ADMIN"]);
  const labelSet = await deps.db.labelSet.findUnique({ where: { name: input.labelSet } });
  if (!labelSet) throw new DomainError("NOT_FOUND", `label set ${input.labelSet} does not exist`);
  // fine-tune and head-only need a champion of this architecture: refused now rather than failing later
  await parentVersionFor(deps.db, {
    labelSetId: labelSet.id,
    mode: input.mode,
    architecture: architectureToDb[input.architecture],
  });
  const run = await deps.db.trainingRun.create({
    data: {
      labelSetId: labelSet.id,
      architecture: architectureToDb[input.architecture],
      mode: input.mode,
      labelSources: input.labelSources,
      epochs: input.epochs,
      params: {
        seed: input.seed,
        demo: raw.demo ?? false,
        // the demo's first model becomes the champion on a passed gate, as a policy's run would
        autoPromote: input.autoPromote || (raw.demo ?? false),
        ...(input.batchSize !== undefined ? { batchSize: input.batchSize } : {}),
        ...(input.roiWeight !== undefined ? { roiWeight: input.roiWeight } : {}),
      } satisfies Prisma.InputJsonValue,
      progress: { phase: "queued", epoch: 0, epochs: input.epochs },
      startedById: input.startedById ?? null,
    },
    include: runInclude,
  });
  await deps.queue.send(queueNames.train, { runId: run.id }, { singletonKey: run.id });
  await recordAudit(deps.db, {
    actorId: input.startedById ?? null,
    action: "training.started",
    entityType: "TrainingRun",
    entityId: run.id,
    after: {
      labelSet: input.labelSet,
      architecture: input.architecture,
      mode: input.mode,
      epochs: input.epochs,
      batchSize: input.batchSize ?? null,
      roiWeight: input.roiWeight ?? null,
      labelSources: input.labelSources,
    },
  });
  return runView(run);
}
