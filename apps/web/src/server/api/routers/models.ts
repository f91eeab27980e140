import { idSchema } from "@cxr/domain";
import { z } from "zod";
import { getInferenceClient } from "~/server/inference";
import {
  decisionSchema,
  promoteSchema,
  promoteVersion,
  rejectVersion,
  rollbackTo,
} from "~/server/services/models/decide";
import { modelDetail } from "~/server/services/models/detail";
import { listModelsByLabelSet } from "~/server/services/models/view";
import { labelSetSchema, rescoreProgress } from "~/server/services/training/runs";
import { modelAdminProcedure as changeProcedure, modelViewProcedure as viewProcedure } from "../model-roles";
import { router } from "../trpc";

export const modelsRouter = router({
  list: viewProcedure.query(() => listModelsByLabelSet(getInferenceClient())),
  get: viewProcedure
    .input(z.object({ id: idSchema }))
    .query(({ ctx, input }) => modelDetail(ctx.db, getInferenceClient(), input.id)),
  promote: changeProcedure
    .input(promoteSchema)
    .mutation(({ ctx, input }) => promoteVersion(getInferenceClient(), ctx.session.user.id, input)),
  rollback: changeProcedure
    .input(decisionSchema)
    .mutation(({ ctx, input }) => rollbackTo(getInferenceClient(), ctx.session.user.id, input)),
  reject: changeProcedure
    .input(decisionSchema)
    .mutation(({ ctx, input }) => rejectVersion(getInferenceClient(), ctx.session.user.id, input)),
  /** after a promotion: unreviewed images, how many the champion has scored, jobs queued */
  rescoreProgress: viewProcedure
    .input(labelSetSchema)
    .query(({ input }) => rescoreProgress(getInferenceClient(), input)),
});
