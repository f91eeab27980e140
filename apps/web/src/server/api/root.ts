import { adjudicationRouter } from "./routers/adjudication";
import { adminRouter } from "./routers/admin";
import { auditRouter } from "./routers/audit";
import { exportsRouter } from "./routers/exports";
import { historyRouter } from "./routers/history";
import { backbonesRouter } from "./routers/backbones";
import { campaignsRouter } from "./routers/campaigns";
import { importsRouter } from "./routers/imports";
import { labelSetsRouter } from "./routers/label-sets";
import { meRouter } from "./routers/me";
import { modelsRouter } from "./routers/models";
import { reviewRouter } from "./routers/review";
import { systemRouter } from "./routers/system";
import { trainingRouter } from "./routers/training";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  adjudication: adjudicationRouter,
  admin: adminRouter,
  audit: auditRouter,
  exports: exportsRouter,
  history: historyRouter,
  backbones: backbonesRouter,
  campaigns: campaignsRouter,
  imports: importsRouter,
  labelSets: labelSetsRouter,
  me: meRouter,
  models: modelsRouter,
  review: reviewRouter,
  system: systemRouter,
  training: trainingRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
