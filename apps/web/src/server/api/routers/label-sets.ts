import { idSchema } from "@cxr/domain";
import { z } from "zod";
import * as labelSets from "~/server/services/label-sets";
import { roleProcedure, router } from "../trpc";

const adminProcedure = roleProcedure("ADMIN");

/** ADMIN only, every procedure: label sets and their classes. */
export const labelSetsRouter = router({
  list: adminProcedure.query(({ ctx }) => labelSets.listLabelSets(ctx.db)),
  create: adminProcedure
    .input(labelSets.newLabelSetSchema)
    .mutation(({ ctx, input }) => labelSets.createLabelSet(ctx.db, ctx.session.user, input)),
  addClass: adminProcedure
    .input(z.object({ labelSetId: idSchema, class: labelSets.classInputSchema }))
    .mutation(({ ctx, input }) =>
      labelSets.addClass(ctx.db, ctx.session.user, input.labelSetId, input.class),
    ),
  /** rename, recolour, hotkey, critical, or retire / restore (`retired`) */
  updateClass: adminProcedure
    .input(labelSets.classChangeSchema.extend({ retired: z.boolean().optional() }))
    .mutation(({ ctx, input }) => labelSets.updateClass(ctx.db, ctx.session.user, input)),
  reorder: adminProcedure
    .input(z.object({ labelSetId: idSchema, classIds: z.array(idSchema).min(1).max(50) }))
    .mutation(({ ctx, input }) =>
      labelSets.reorderClasses(ctx.db, ctx.session.user, input.labelSetId, input.classIds),
    ),
});
