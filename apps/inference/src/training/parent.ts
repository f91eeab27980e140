// Which version a run starts from. Fine-tuning and head-only retraining build on the label set's champion
// (its weights, or its frozen backbone); a run from scratch starts from nothing. Checked when a run is started
// (a clear refusal) and again when it runs (the champion may have changed or gone meanwhile).
import type { Architecture, Db, TrainingMode } from "@cxr/db";
import { DomainError } from "@cxr/domain";

export interface ParentVersion {
  id: string;
  /** the version folder, loaded through the checksum check */
  dir: string;
  checksum: string;
}

const modeNames: Record<TrainingMode, string> = {
  FULL_FINE_TUNE: "fine-tuning",
  HEAD_ONLY: "head-only retraining",
  FROM_SCRATCH: "training from scratch",
};

/** The champion a run of this mode starts from (null from scratch); a DomainError says why it cannot start. */
export async function parentVersionFor(
  db: Pick<Db, "modelVersion">,
  run: { labelSetId: string; mode: TrainingMode; architecture: Architecture },
): Promise<ParentVersion | null> {
  if (run.mode === "FROM_SCRATCH") return null;
  const champion = await db.modelVersion.findFirst({
    where: { labelSetId: run.labelSetId, status: "CHAMPION" },
    select: { id: true, version: true, architecture: true, storageUri: true, checksum: true },
  });
  if (!champion)
    throw new DomainError(
      "PRECONDITION_FAILED",
      `${modeNames[run.mode]} starts from the label set's champion, and it has none yet: train FROM_SCRATCH first`,
    );
  if (champion.architecture !== run.architecture)
    throw new DomainError(
      "PRECONDITION_FAILED",
      `${modeNames[run.mode]} starts from the champion (v${champion.version}), a ${champion.architecture} model, ` +
        `not ${run.architecture}: choose its architecture or train FROM_SCRATCH`,
    );
  return { id: champion.id, dir: champion.storageUri, checksum: champion.checksum };
}
