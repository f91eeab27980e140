import { getInferenceClient } from "~/server/inference";
import {
  cancelRun,
  cancelSchema,
  followRun,
  getPolicy,
  labelSetSchema,
  listRuns,
  listSchema,
  policySchema,
  previewRun,
  previewSchema,
  runIdSchema,
  setPolicy,
  startRun,
  startSchema,
} from "~/server/services/training/runs";
import {
  asActor,
  modelAdminProcedure as trainProcedure,
  modelViewProcedure as viewProcedure,
} from "../model-roles";
import { router } from "../trpc";

export const trainingRouter = router({
  preview: trainProcedure.input(previewSchema).query(({ input }) => previewRun(getInferenceClient(), input)),
  start: trainProcedure.input(startSchema).mutation(asActor(startRun)),
  cancel: trainProcedure.input(cancelSchema).mutation(asActor(cancelRun)),
  list: viewProcedure.input(listSchema).query(({ input }) => listRuns(getInferenceClient(), input)),
  /** the run at once, then each change of status or epoch (server-sent events), proxied from the service */
  progress: viewProcedure
    .input(runIdSchema)
    .subscription(({ input, signal }) => followRun(getInferenceClient(), input.id, signal)),
  policy: viewProcedure.input(labelSetSchema).query(({ input }) => getPolicy(getInferenceClient(), input)),
  setPolicy: trainProcedure.input(policySchema).mutation(asActor(setPolicy)),
});
