import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import pkg from "../../package.json" with { type: "json" };
import { authedProcedure, createTRPCRouter } from "../trpc";

export const systemRouter = createTRPCRouter({
  info: authedProcedure.query(({ ctx }) => ({
    service: "inference" as const,
    version: pkg.version,
    backend: ctx.backend.backend,
    provider: ctx.backend.provider,
    uptimeSeconds: Math.round((Date.now() - ctx.startedAt) / 1000),
    // leak check for callers: should stay flat between requests
    numTensors: tf.memory().numTensors,
    // this replica's own figures (null without a database)
    workerId: ctx.deps?.config.workerId ?? null,
    stats: ctx.deps ? { ...ctx.deps.stats } : null,
    loadedModels: ctx.deps?.models.loadedIds() ?? [],
  })),
  echo: authedProcedure
    .input(z.object({ message: z.string().max(1000) }))
    .mutation(({ input }) => ({ message: input.message })),
});
