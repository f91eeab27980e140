import { createTRPCRouter } from "../trpc";
import { modelsRouter } from "./models";
import { explainProcedure, predictProcedure, queueRouter } from "./predict";
import { systemRouter } from "./system";
import { trainingRouter } from "./training";

export const appRouter = createTRPCRouter({
  system: systemRouter,
  predict: predictProcedure,
  explain: explainProcedure,
  queue: queueRouter,
  models: modelsRouter,
  training: trainingRouter,
});

export type AppRouter = typeof appRouter;
