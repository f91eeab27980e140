import { createTRPCRouter } from "../trpc";
import { backbonesRouter } from "./backbones";
import { modelsRouter } from "./models";
import { policyRouter } from "./policy";
import { explainProcedure, predictProcedure, queueRouter } from "./predictions";
import { systemRouter } from "./system";
import { trainingRouter } from "./training";

export const inferenceRouter = createTRPCRouter({
  system: systemRouter,
  predict: predictProcedure,
  explain: explainProcedure,
  queue: queueRouter,
  models: modelsRouter,
  training: trainingRouter,
  policy: policyRouter,
  backbones: backbonesRouter,
});

export type InferenceRouter = typeof inferenceRouter;
