// The FP/FN audit page's API: confusion matrix, threshold analysis and comparison of two versions over a scope.
// For readers (RADIOLOGIST, and ADMIN); the cells' cases reach the viewer through review.queue's `audit` filter.
import { auditFilterSchema } from "~/server/services/audit/scope";
import {
  compare,
  compareInputSchema,
  confusion,
  thresholdInputSchema,
  thresholds,
} from "~/server/services/audit/analysis";
import { roleProcedure, router } from "../trpc";

const readerProcedure = roleProcedure("ADMIN", "RADIOLOGIST");

export const auditRouter = router({
  confusion: readerProcedure
    .input(auditFilterSchema)
    .query(({ ctx, input }) => confusion(ctx.db, input, ctx.session.user.id)),

  thresholds: readerProcedure
    .input(thresholdInputSchema)
    .query(({ ctx, input }) => thresholds(ctx.db, input, ctx.session.user.id)),

  compare: readerProcedure
    .input(compareInputSchema)
    .query(({ ctx, input }) => compare(ctx.db, input, ctx.session.user.id)),
});
