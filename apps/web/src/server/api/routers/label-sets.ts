import { idSchema } from "@cxr/domain";
import { z } from "zod";
import {
  addClass,
  classChangeSchema,
  classInputSchema,
  createLabelSet,
  listLabelSets,
  newLabelSetSchema,
  reorderClasses,
  updateClass,
} from "~/server/services/label-sets";
import { roleProcedure, router } from "../trpc";

const adminProcedure = roleProcedure("ADMIN");

/** ADMIN only, every procedure: label sets and their classes. */
export const labelSetsRouter = router({
  list: adminProcedure.query(({ ctx }) => listLabelSets(ctx.db)),
  create: adminProcedure
    .input(newLabelSetSchema)
    .mutation(({ ctx, input }) => createLabelSet(ctx.db, ctx.session.user, input)),
  addClass: adminProcedure
    .input(z.object({ labelSetId: idSchema, class: classInputSchema }))
    .mutation(({ ctx, input }) => addClass(ctx.db, ctx.session.user, input.labelSetId, input.class)),
  /** rename, recolour, hotkey, critical, or retire / restore (`retired`) */
  updateClass: adminProcedure
    .input(classChangeSchema.extend({ retired: z.boolean().optional() }))
    .mutation(({ ctx, input }) => updateClass(ctx.db, ctx.session.user, input)),
  reorder: adminProcedure
    .input(z.object({ labelSetId: idSchema, classIds: z.array(idSchema).min(1).max(50) }))
    .mutation(({ ctx, input }) => reorderClasses(ctx.db, ctx.session.user, input.labelSetId, input.classIds)),
});
