// How far re-scoring with the champion has come: the browser shows it after a promotion.
import { DomainError } from "@cxr/domain";
import { labelSetInputSchema, type LabelSetInput, type RescoreProgress } from "@cxr/inference-api";
import type { Deps } from "../deps";
import { queueNames } from "../queue/boss";

export async function rescoreProgress(
  deps: Pick<Deps, "db" | "queue">,
  raw: LabelSetInput,
): Promise<RescoreProgress> {
  const input = labelSetInputSchema.parse(raw);
  const labelSet = await deps.db.labelSet.findUnique({
    where: { name: input.labelSet },
    select: { id: true },
  });
  if (!labelSet) throw new DomainError("NOT_FOUND", `label set ${input.labelSet} does not exist`);
  const champion = await deps.db.modelVersion.findFirst({
    where: { labelSetId: labelSet.id, status: "CHAMPION" },
    select: { id: true, version: true },
  });
  // the images the rescore job picks (rescore.ts): readable and decided by no reader
  const unreviewed = {
    status: { not: "FAILED" as const },
    masterSha256: { not: null },
    reads: { none: { source: "READER" as const } },
  };
  const [total, scored, queued] = await Promise.all([
    deps.db.image.count({ where: unreviewed }),
    champion
      ? deps.db.image.count({
          where: { ...unreviewed, predictions: { some: { modelVersionId: champion.id } } },
        })
      : 0,
    deps.queue.getQueueSize(queueNames.predict),
  ]);
  return { labelSet: input.labelSet, champion, unreviewed: total, scored, queued };
}
