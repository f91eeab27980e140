// The model registry: immutable model versions whose status changes (candidate, champion, retired, rejected).
import { idSchema, modelArchitectureSchema, modelStatusSchema } from "@cxr/domain";
import { z } from "zod";

export const modelViewSchema = z.object({
  id: z.string(),
  labelSet: z.string(),
  labelSetId: z.string(),
  version: z.number().int(),
  name: z.string(),
  architecture: modelArchitectureSchema,
  status: modelStatusSchema,
  inputSize: z.number().int(),
  targetLayer: z.string(),
  /** the model's output classes, in order */
  classKeys: z.array(z.string()),
  checksum: z.string(),
  metrics: z.unknown(),
  history: z.unknown(),
  trainingRunId: z.string().nullable(),
  parentId: z.string().nullable(),
  createdAt: z.date(),
  promotedAt: z.date().nullable(),
});
export type ModelView = z.infer<typeof modelViewSchema>;

/** After a promotion or rollback: the new champion and the id of the one it replaced. */
export const championChangeSchema = z.object({ champion: modelViewSchema, retired: z.string().nullable() });
export type ChampionChange = z.infer<typeof championChangeSchema>;

export const listModelsInputSchema = z
  .object({ labelSet: z.string().optional(), status: modelStatusSchema.optional() })
  .default({});
export type ListModelsInput = z.infer<typeof listModelsInputSchema>;

export const modelIdInputSchema = z.object({ id: idSchema });
export type ModelIdInput = z.infer<typeof modelIdInputSchema>;

/** Who decided and why, for the audit log. */
const decision = { actorId: idSchema.optional(), reason: z.string().max(2000).optional() };

/** promote and reject: a person's decision on one version. */
export const modelDecisionInputSchema = z.object({ id: idSchema, ...decision });
export type ModelDecisionInput = z.infer<typeof modelDecisionInputSchema>;

/** Back to the version named, or else the most recently promoted retired one. */
export const rollbackInputSchema = z.object({
  labelSet: z.string().min(1),
  toId: idSchema.optional(),
  ...decision,
});
export type RollbackInput = z.infer<typeof rollbackInputSchema>;

export interface ModelHandlers {
  list(input: ListModelsInput): Promise<ModelView[]>;
  get(input: ModelIdInput): Promise<ModelView>;
  promote(input: ModelDecisionInput): Promise<ChampionChange>;
  rollback(input: RollbackInput): Promise<ChampionChange>;
  reject(input: ModelDecisionInput): Promise<ModelView>;
}
