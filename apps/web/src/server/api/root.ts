import { adjudicationRouter } from "./routers/adjudication";
import { adminRouter } from "./routers/admin";
import { campaignAgreementProcedures } from "./routers/campaign-agreement";
import { importsRouter } from "./routers/imports";
import { meRouter } from "./routers/me";
import { modelsRouter } from "./routers/models";
import { reviewRouter } from "./routers/review";
import { systemRouter } from "./routers/system";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  adjudication: adjudicationRouter,
  admin: adminRouter,
  campaigns: router({ ...campaignAgreementProcedures }),
  imports: importsRouter,
  me: meRouter,
  models: modelsRouter,
  review: reviewRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
