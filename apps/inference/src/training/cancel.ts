import { recordAudit, type Db } from "@cxr/db";
import { DomainError, requireActiveAccount } from "@cxr/domain";
import type { CancelTrainingInput, RunView } from "@cxr/inference-api";
import { runInclude, runView } from "./view";

/** Marks a queued or running run CANCELLED; its worker stops at the end of the current epoch and writes nothing. */
export async function cancelTraining(db: Db, input: CancelTrainingInput): Promise<RunView> {
  await requireActiveAccount(db, input.actorId, ["ADMIN"]);
  const before = await db.trainingRun.findUnique({ where: { id: input.id } });
  if (!before) throw new DomainError("NOT_FOUND", `training run ${input.id} does not exist`);
  const updated = await db.trainingRun.updateMany({
    where: { id: input.id, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "CANCELLED", finishedAt: new Date() },
  });
  if (updated.count === 0)
    throw new DomainError("CONFLICT", `training run ${input.id} is already ${before.status.toLowerCase()}`);
  await recordAudit(db, {
    actorId: input.actorId,
    action: "training.cancelled",
    entityType: "TrainingRun",
    entityId: input.id,
    reason: input.reason,
    before: { status: before.status },
    after: { status: "CANCELLED" },
  });
  return runView(
    await db.trainingRun.findUniqueOrThrow({
      where: { id: input.id },
      include: runInclude,
    }),
  );
}
