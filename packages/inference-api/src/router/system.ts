import { echoSchema, systemInfoSchema } from "../contract/system";
import { authedProcedure, createTRPCRouter } from "../trpc";

// Both work without a database (service is null): health checks and the web app's status page use them.
export const systemRouter = createTRPCRouter({
  info: authedProcedure.output(systemInfoSchema).query(({ ctx }) => ctx.handlers.system.info()),
  echo: authedProcedure
    .input(echoSchema)
    .output(echoSchema)
    .mutation(({ input }) => ({ message: input.message })),
});
