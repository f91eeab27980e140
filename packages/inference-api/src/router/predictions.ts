import {
  explainInputSchema,
  explainResultSchema,
  predictInputSchema,
  predictResultSchema,
  queuePendingInputSchema,
  queuePendingResultSchema,
} from "../contract/predictions";
import { createTRPCRouter, serviceProcedure } from "../trpc";

/** One image or a batch; stored results come back at once, the rest is queued and waited for. */
export const predictProcedure = serviceProcedure
  .input(predictInputSchema)
  .output(predictResultSchema)
  .mutation(({ ctx, input }) => ctx.service.predictions.predict(input));

/** Grad-CAM of one image for a class, model version and target layer, on demand (stored and reused). */
export const explainProcedure = serviceProcedure
  .input(explainInputSchema)
  .output(explainResultSchema)
  .mutation(({ ctx, input }) => ctx.service.predictions.explain(input));

export const queueRouter = createTRPCRouter({
  /** Queues the champion's prediction for every unreviewed image without one (new imports included). */
  queuePending: serviceProcedure
    .input(queuePendingInputSchema)
    .output(queuePendingResultSchema)
    .mutation(({ ctx, input }) => ctx.service.predictions.queuePending(input)),
});
