import { z } from "zod";
import { enqueueRescore } from "../predict/enqueue";
import { getModel, listModels, promoteModel, rejectModel, rollbackModel } from "../models/registry";
import { queueNames } from "../queue/boss";
import { createTRPCRouter, serviceProcedure } from "../trpc";
import type { Deps } from "../deps";

const decision = { actorId: z.string().min(1).optional(), reason: z.string().max(2000).optional() };

/** After any change of champion: warm it here and re-score unreviewed images in the background. */
async function afterChampionChange(deps: Deps, championId: string): Promise<void> {
  await deps.models.warmChampions();
  await enqueueRescore(deps, championId);
  deps.wake?.(queueNames.rescore);
}

export const modelsRouter = createTRPCRouter({
  list: serviceProcedure
    .input(
      z
        .object({
          labelSet: z.string().optional(),
          status: z.enum(["CANDIDATE", "CHAMPION", "RETIRED", "REJECTED"]).optional(),
        })
        .default({}),
    )
    .query(({ ctx, input }) => listModels(ctx.deps.db, input)),
  get: serviceProcedure
    .input(z.object({ id: z.string().min(1) }))
    .query(({ ctx, input }) => getModel(ctx.deps.db, input)),
  promote: serviceProcedure
    .input(z.object({ id: z.string().min(1), ...decision }))
    .mutation(async ({ ctx, input }) => {
      const result = await promoteModel(ctx.deps.db, input);
      await afterChampionChange(ctx.deps, result.champion.id);
      return result;
    }),
  rollback: serviceProcedure
    .input(z.object({ labelSet: z.string().min(1), toId: z.string().min(1).optional(), ...decision }))
    .mutation(async ({ ctx, input }) => {
      const result = await rollbackModel(ctx.deps.db, input);
      await afterChampionChange(ctx.deps, result.champion.id);
      return result;
    }),
  reject: serviceProcedure
    .input(z.object({ id: z.string().min(1), ...decision }))
    .mutation(({ ctx, input }) => rejectModel(ctx.deps.db, input)),
});
