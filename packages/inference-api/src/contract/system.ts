// The service about itself: version, backend and this replica's figures (health pages, leak checks, benchmarks).
import { z } from "zod";

/** Counters of one replica since it started. */
export const replicaStatsSchema = z.object({
  /** images this replica ran through a model for a prediction */
  predictedImages: z.number().int(),
  /** model executions (batches) for predictions */
  predictBatches: z.number().int(),
  gradcams: z.number().int(),
});
export type ReplicaStats = z.infer<typeof replicaStatsSchema>;

export const systemInfoSchema = z.object({
  service: z.literal("inference"),
  version: z.string(),
  backend: z.string(),
  provider: z.string(),
  uptimeSeconds: z.number().int(),
  /** tensors the service holds: a leak check for callers, should stay flat between requests */
  numTensors: z.number().int(),
  /** this replica's own figures (null without a database) */
  workerId: z.string().nullable(),
  stats: replicaStatsSchema.nullable(),
  loadedModels: z.array(z.string()),
});
export type SystemInfo = z.infer<typeof systemInfoSchema>;

/** system.echo: a round trip through auth, input validation and the transformer, answered by the router itself. */
export const echoSchema = z.object({ message: z.string().max(1000) });

export interface SystemHandlers {
  info(): SystemInfo;
}
