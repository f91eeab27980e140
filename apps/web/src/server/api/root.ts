import { adminRouter } from "./routers/admin";
import { meRouter } from "./routers/me";
import { systemRouter } from "./routers/system";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  admin: adminRouter,
  me: meRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
