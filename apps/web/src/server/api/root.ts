import { adminRouter } from "./routers/admin";
import { importsRouter } from "./routers/imports";
import { meRouter } from "./routers/me";
import { systemRouter } from "./routers/system";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  admin: adminRouter,
  imports: importsRouter,
  me: meRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
