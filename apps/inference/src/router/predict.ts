import { z } from "zod";
import { enqueueRescore } from "../predict/enqueue";
import { requestPredictions } from "../predict/request";
import { gradcamRequestSchema } from "../predict/schemas";
import { resolveModelVersion } from "../models/registry";
import { queueNames } from "../queue/boss";
import { createTRPCRouter, serviceProcedure } from "../trpc";

const target = {
  /** default: the champion of `labelSet`, or the latest champion */
  modelVersionId: z.string().min(1).optional(),
  labelSet: z.string().min(1).optional(),
};

/** One image or a batch; stored results come back at once, the rest is queued and waited for. */
export const predictProcedure = serviceProcedure
  .input(
    z.object({
      imageIds: z.array(z.string().min(1)).min(1).max(256),
      ...target,
      gradcam: gradcamRequestSchema,
      /** false: queue and answer at once (status "queued"); ask again later for the stored result */
      wait: z.boolean().default(true),
    }),
  )
  .mutation(({ ctx, input }) => requestPredictions(ctx.deps, { ...input, queue: queueNames.predict }));

export const queueRouter = createTRPCRouter({
  /** Queues the champion's prediction for every unreviewed image without one (new imports included). */
  queuePending: serviceProcedure.input(z.object(target)).mutation(async ({ ctx, input }) => {
    const version = await resolveModelVersion(ctx.deps.db, input);
    const jobId = await enqueueRescore(ctx.deps, version.id);
    ctx.deps.wake?.(queueNames.rescore);
    return { modelVersionId: version.id, jobId };
  }),
});

/** Grad-CAM of one image for a class, model version and target layer, on demand (stored and reused). */
export const explainProcedure = serviceProcedure
  .input(
    z.object({
      imageId: z.string().min(1),
      classKey: z.string().min(1).max(100),
      ...target,
      targetLayer: z.string().min(1).max(200).optional(),
      wait: z.boolean().default(true),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const { modelVersionId, items } = await requestPredictions(ctx.deps, {
      imageIds: [input.imageId],
      modelVersionId: input.modelVersionId,
      labelSet: input.labelSet,
      gradcam: [input.classKey],
      targetLayer: input.targetLayer,
      wait: input.wait,
      queue: queueNames.explain,
    });
    const item = items[0]!;
    if (item.status !== "done") return { modelVersionId, status: item.status, map: null, item };
    const layer = input.targetLayer ?? null;
    const map =
      item.prediction.gradcams.find(
        (g) => g.classKey === input.classKey && (layer === null || g.targetLayer === layer),
      ) ?? null;
    return { modelVersionId, status: item.status, map, item };
  });
