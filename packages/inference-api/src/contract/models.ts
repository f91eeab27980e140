// The model registry: immutable model versions whose status changes (candidate, champion, retired, rejected).
import {
  idSchema,
  labelSourceSchema,
  modelArchitectureSchema,
  modelStatusSchema,
  trainingModeSchema,
} from "@cxr/domain";
import { z } from "zod";
import type { LabelSetInput, RescoreProgress } from "./training-plan";

/** A person named on a version: who started its training, who promoted it. */
export const personSchema = z.object({ id: z.string(), name: z.string() });

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
  promotedBy: personSchema.nullable(),
  /** the run that trained it (null for versions registered without one) */
  training: z
    .object({
      mode: trainingModeSchema,
      labelSources: z.array(labelSourceSchema),
      epochs: z.number().int(),
      startedBy: personSchema.nullable(),
    })
    .nullable(),
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

/**
 * Who decided and why, for the audit log. The caller (the web app, holding the service token) names the acting
 * user; the service checks in its database that the account exists, is active and is an ADMIN before acting.
 */
const decision = { actorId: idSchema, reason: z.string().max(2000).optional() };

/** reject: a person's decision on a candidate. */
export const modelDecisionInputSchema = z.object({ id: idSchema, ...decision });
export type ModelDecisionInput = z.infer<typeof modelDecisionInputSchema>;

/**
 * promote: a CANDIDATE becomes the champion. One that did not pass the promotion gate (or was never measured by
 * it) needs `overrideGate` and a reason, both kept in the audit event; REJECTED and RETIRED versions are refused
 * (rollback is the way back to a former champion).
 */
export const promoteInputSchema = z
  .object({ id: idSchema, ...decision, overrideGate: z.boolean().default(false) })
  .refine((input) => !input.overrideGate || (input.reason ?? "").trim().length > 0, {
    message: "overriding the promotion gate needs a reason",
    path: ["reason"],
  });
export type PromoteInput = z.infer<typeof promoteInputSchema>;
/** What a caller sends (defaults not applied yet). */
export type PromoteRequest = z.input<typeof promoteInputSchema>;

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
  promote(input: PromoteInput): Promise<ChampionChange>;
  rollback(input: RollbackInput): Promise<ChampionChange>;
  reject(input: ModelDecisionInput): Promise<ModelView>;
  /** how far the champion's re-scoring of unreviewed images has come */
  rescoreProgress(input: LabelSetInput): Promise<RescoreProgress>;
}
