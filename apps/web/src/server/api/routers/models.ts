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
import {
  asActor,
  modelAdminProcedure as changeProcedure,
  modelViewProcedure as viewProcedure,
} from "../model-roles";
import { router } from "../trpc";

export const modelsRouter = router({
  list: viewProcedure.query(() => listModelsByLabelSet(getInferenceClient())),
  get: viewProcedure
    .input(z.object({ id: idSchema }))
    .query(({ ctx, input }) => modelDetail(ctx.db, getInferenceClient(), input.id)),
  promote: changeProcedure.input(promoteSchema).mutation(asActor(promoteVersion)),
  rollback: changeProcedure.input(decisionSchema).mutation(asActor(rollbackTo)),
  reject: changeProcedure.input(decisionSchema).mutation(asActor(rejectVersion)),
  /** after a promotion: unreviewed images, how many the champion has scored, jobs queued */
  rescoreProgress: viewProcedure
    .input(labelSetSchema)
    .query(({ input }) => rescoreProgress(getInferenceClient(), input)),
});
