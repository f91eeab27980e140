import { z } from "zod";
import { queueNames } from "../queue/boss";
import { cancelTraining } from "../training/cancel";
import { followTraining, listTraining } from "../training/follow";
import { startTrainingSchema } from "../training/schemas";
import { startTraining } from "../training/start";
import { createTRPCRouter, serviceProcedure } from "../trpc";

export const trainingRouter = createTRPCRouter({
  start: serviceProcedure.input(startTrainingSchema).mutation(async ({ ctx, input }) => {
    const run = await startTraining(ctx.deps, input);
    ctx.deps.wake?.(queueNames.train);
    return run;
  }),
  cancel: serviceProcedure
    .input(
      z.object({
        id: z.string().min(1),
        actorId: z.string().optional(),
        reason: z.string().max(2000).optional(),
      }),
    )
    .mutation(({ ctx, input }) => cancelTraining(ctx.deps.db, input)),
  list: serviceProcedure
    .input(
      z
        .object({ labelSet: z.string().optional(), take: z.number().int().min(1).max(500).optional() })
        .default({}),
    )
    .query(({ ctx, input }) => listTraining(ctx.deps.db, input)),
  /** Live progress (server-sent events): each change of status or epoch figures, ending at a final status. */
  progress: serviceProcedure
    .input(z.object({ id: z.string().min(1) }))
    .subscription(({ ctx, input, signal }) => followTraining(ctx.deps.db, input, signal)),
});
