import { z } from "zod";
import {
  championChangeSchema,
  listModelsInputSchema,
  modelDecisionInputSchema,
  modelIdInputSchema,
  modelViewSchema,
  promoteInputSchema,
  rollbackInputSchema,
} from "../contract/models";
import { labelSetInputSchema, rescoreProgressSchema } from "../contract/training-plan";
import { createTRPCRouter, serviceProcedure } from "../trpc";

export const modelsRouter = createTRPCRouter({
  list: serviceProcedure
    .input(listModelsInputSchema)
    .output(z.array(modelViewSchema))
    .query(({ ctx, input }) => ctx.service.models.list(input)),
  get: serviceProcedure
    .input(modelIdInputSchema)
    .output(modelViewSchema)
    .query(({ ctx, input }) => ctx.service.models.get(input)),
  /** makes a candidate the champion of its label set (past a failed gate only with an override); the former champion is retired */
  promote: serviceProcedure
    .input(promoteInputSchema)
    .output(championChangeSchema)
    .mutation(({ ctx, input }) => ctx.service.models.promote(input)),
  rollback: serviceProcedure
    .input(rollbackInputSchema)
    .output(championChangeSchema)
    .mutation(({ ctx, input }) => ctx.service.models.rollback(input)),
  /** a person's decision on a candidate the promotion gate did not promote */
  reject: serviceProcedure
    .input(modelDecisionInputSchema)
    .output(modelViewSchema)
    .mutation(({ ctx, input }) => ctx.service.models.reject(input)),
  /** unreviewed images, how many the champion has scored, prediction jobs queued */
  rescoreProgress: serviceProcedure
    .input(labelSetInputSchema)
    .output(rescoreProgressSchema)
    .query(({ ctx, input }) => ctx.service.models.rescoreProgress(input)),
});
