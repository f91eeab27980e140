// The FP/FN audit page's API: confusion matrix, threshold analysis and comparison of two versions over a scope.
// For readers (RADIOLOGIST, and ADMIN); the cells' cases reach the viewer through review.queue's `audit` filter.
// Every query hides the cases the caller is blinded to (services/audit/scope.ts), hence the caller's id.
import { type Db } from "@cxr/db";
import { type z } from "zod";
import { auditFilterSchema } from "~/server/services/audit/scope";
import * as analysis from "~/server/services/audit/analysis";
import { roleProcedure, router } from "../trpc";

/** A readers' query over one analysis function `(db, input, viewerId)`. */
function audited<S extends z.ZodType, R>(
  schema: S,
  run: (db: Db, input: z.output<S>, viewerId: string) => Promise<R>,
) {
  return (
    roleProcedure("ADMIN", "RADIOLOGIST")
      .input(schema)
      // tRPC types a generic schema's parsed input loosely; it is the schema's output
      .query(({ ctx, input }) => run(ctx.db, input as z.output<S>, ctx.session.user.id))
  );
}

export const auditRouter = router({
  confusion: audited(auditFilterSchema, analysis.confusion),
  thresholds: audited(analysis.thresholdInputSchema, analysis.thresholds),
  compare: audited(analysis.compareInputSchema, analysis.compare),
});
