import { adminRouter } from "./routers/admin";
import { backbonesRouter } from "./routers/backbones";
import { importsRouter } from "./routers/imports";
import { meRouter } from "./routers/me";
import { modelsRouter } from "./routers/models";
import { reviewRouter } from "./routers/review";
import { systemRouter } from "./routers/system";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  admin: adminRouter,
  backbones: backbonesRouter,
  imports: importsRouter,
  me: meRouter,
  models: modelsRouter,
  review: reviewRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
