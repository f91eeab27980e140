import { labelSetInputSchema, policyViewSchema, setPolicyInputSchema } from "../contract/training-plan";
import { createTRPCRouter, serviceProcedure } from "../trpc";

export const policyRouter = createTRPCRouter({
  /** the label set's retraining policy with its last trigger; null when it has none */
  get: serviceProcedure
    .input(labelSetInputSchema)
    .output(policyViewSchema.nullable())
    .query(({ ctx, input }) => ctx.service.policy.get(input)),
  /** creates or replaces it, as `actorId` (an active ADMIN, checked by the service) */
  set: serviceProcedure
    .input(setPolicyInputSchema)
    .output(policyViewSchema)
    .mutation(({ ctx, input }) => ctx.service.policy.set(input)),
});
