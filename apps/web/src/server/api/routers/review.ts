// The review workspace's API: the reader's queue, one case, and submitting a decision.
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { getCase } from "~/server/services/review/case";
import { decisionSchema, submitDecision } from "~/server/services/review/decision";
import { ReviewError } from "~/server/services/review/errors";
import { listModelVersions, listQueue, queueFilterSchema } from "~/server/services/review/queue";
import { roleProcedure, router } from "../trpc";

// reading is the radiologist's job; admins may look over their shoulder
const readerProcedure = roleProcedure("ADMIN", "RADIOLOGIST");

async function mapErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ReviewError) throw new TRPCError({ code: error.code, message: error.message });
    throw error;
  }
}

export const reviewRouter = router({
  queue: readerProcedure.input(queueFilterSchema).query(({ ctx, input }) => listQueue(ctx.db, input)),

  modelVersions: readerProcedure.query(({ ctx }) => listModelVersions(ctx.db)),

  case: readerProcedure
    .input(
      z.object({ imageId: z.string().min(1).max(64), modelVersionId: z.string().min(1).max(64).optional() }),
    )
    .query(({ ctx, input }) => mapErrors(() => getCase(ctx.db, input.imageId, input.modelVersionId))),

  submit: readerProcedure
    .input(decisionSchema)
    .mutation(({ ctx, input }) =>
      mapErrors(() =>
        submitDecision(ctx.db, { id: ctx.session.user.id, role: ctx.session.user.role }, input),
      ),
    ),
});
