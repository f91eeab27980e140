import { adminRouter } from "./routers/admin";
import { campaignsRouter } from "./routers/campaigns";
import { importsRouter } from "./routers/imports";
import { labelSetsRouter } from "./routers/label-sets";
import { meRouter } from "./routers/me";
import { modelsRouter } from "./routers/models";
import { reviewRouter } from "./routers/review";
import { systemRouter } from "./routers/system";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  admin: adminRouter,
  campaigns: campaignsRouter,
  imports: importsRouter,
  labelSets: labelSetsRouter,
  me: meRouter,
  models: modelsRouter,
  review: reviewRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
