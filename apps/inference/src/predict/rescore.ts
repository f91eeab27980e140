// The rescore job: after a promotion, every image no person has read yet gets the new champion's prediction.
// It only queues predict jobs (low priority), so interactive requests still go first.
import { z } from "zod";
import type { Deps } from "../deps";
import { enqueuePredictions, priorities } from "./enqueue";

export const rescoreJobSchema = z.object({ modelVersionId: z.string().min(1) });

export async function rescoreUnreviewed(
  deps: Deps,
  input: z.infer<typeof rescoreJobSchema>,
): Promise<{ queued: number }> {
  const version = await deps.db.modelVersion.findUnique({ where: { id: input.modelVersionId } });
  // a version that is no longer champion (rolled back meanwhile) does not rescore
  if (!version || version.status !== "CHAMPION") return { queued: 0 };
  let queued = 0;
  let cursor: string | undefined;
  for (;;) {
    const images = await deps.db.image.findMany({
      where: {
        status: { not: "FAILED" },
        masterSha256: { not: null },
        reads: { none: { source: "READER" } },
        predictions: { none: { modelVersionId: version.id } },
        ...(cursor ? { id: { gt: cursor } } : {}),
      },
      orderBy: { id: "asc" },
      take: 500,
      select: { id: true },
    });
    if (images.length === 0) return { queued };
    await enqueuePredictions(
      deps,
      images.map((i) => ({ imageId: i.id, modelVersionId: version.id, gradcam: "predicted" as const })),
      priorities.rescore,
    );
    queued += images.length;
    cursor = images.at(-1)!.id;
  }
}
