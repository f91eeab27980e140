import { rethrowDomainErrors } from "@cxr/domain/trpc";
import { z } from "zod";
import {
  cancelTrainingInputSchema,
  listTrainingInputSchema,
  runViewSchema,
  startTrainingSchema,
  trainingRunIdInputSchema,
} from "../contract/training";
import { trainingPreviewInputSchema, trainingPreviewSchema } from "../contract/training-plan";
import { createTRPCRouter, serviceProcedure } from "../trpc";

export const trainingRouter = createTRPCRouter({
  /** what a run would train on and start from, and its refusals; changes nothing */
  preview: serviceProcedure
    .input(trainingPreviewInputSchema)
    .output(trainingPreviewSchema)
    .query(({ ctx, input }) => ctx.service.training.preview(input)),
  start: serviceProcedure
    .input(startTrainingSchema)
    .output(runViewSchema)
    .mutation(({ ctx, input }) => ctx.service.training.start(input)),
  /** a queued or running run stops at the end of its current epoch and writes nothing */
  cancel: serviceProcedure
    .input(cancelTrainingInputSchema)
    .output(runViewSchema)
    .mutation(({ ctx, input }) => ctx.service.training.cancel(input)),
  list: serviceProcedure
    .input(listTrainingInputSchema)
    .output(z.array(runViewSchema))
    .query(({ ctx, input }) => ctx.service.training.list(input)),
  /** Live progress (server-sent events): each change of status or epoch figures, ending at a final status. */
  progress: serviceProcedure.input(trainingRunIdInputSchema).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    try {
      // .output() does not apply to a stream: each value is checked here instead
      for await (const run of ctx.service.training.progress(input, signal)) yield runViewSchema.parse(run);
    } catch (error) {
      // the middleware returned when the stream began, so a DomainError thrown while streaming is mapped here
      rethrowDomainErrors({ ok: false, error: { cause: error } });
      throw error;
    }
  }),
});
