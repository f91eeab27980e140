import { recordAudit, type Prisma } from "@cxr/db";
import { DomainError, requireActiveAccount } from "@cxr/domain";
import { startTrainingSchema, type RunView, type StartTrainingRequest } from "@cxr/inference-api";
import type { Deps } from "../deps";
import { architectureToDb } from "../models/registry";
import { parentVersionFor } from "./parent";
import { queueNames } from "../queue/boss";
import { previewTraining, refuseUnlessTrainable } from "./preview";
import { runInclude, runView } from "./view";

/**
 * Creates a QUEUED TrainingRun and its train job; whichever replica is free runs it. A person's run and a
 * policy's run are refused for the preview's reasons (too few labels, a class without examples, no champion to
 * start from). The service's own unattended runs (the demo's first model, from scratch) skip the label checks;
 * every run that starts from a champion needs one of its architecture.
 */
export async function startTraining(
  deps: Pick<Deps, "db" | "queue">,
  raw: StartTrainingRequest & { demo?: boolean; policy?: boolean },
): Promise<RunView> {
  const input = startTrainingSchema.parse(raw);
  // a person's run: they must be an active admin now (the service's own demo run names no one)
  if (input.startedById !== undefined) await requireActiveAccount(deps.db, input.startedById, ["ADMIN"]);
  const labelSet = await deps.db.labelSet.findUnique({ where: { name: input.labelSet } });
  if (!labelSet) throw new DomainError("NOT_FOUND", `label set ${input.labelSet} does not exist`);
  if (input.startedById !== undefined || raw.policy === true)
    refuseUnlessTrainable(await previewTraining(deps.db, input));
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
        ...(raw.policy === true ? { policy: true } : {}),
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
  const view = runView(run);
  const { architecture, mode, epochs, batchSize, roiWeight, labelSources } = view;
  await recordAudit(deps.db, {
    actorId: input.startedById ?? null,
    action: "training.started",
    entityType: "TrainingRun",
    entityId: run.id,
    // the settings as the run records them
    after: { labelSet: view.labelSet, architecture, mode, epochs, batchSize, roiWeight, labelSources },
  });
  return view;
}
