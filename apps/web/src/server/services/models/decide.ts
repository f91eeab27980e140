// Promote, roll back, reject: an administrator's decision with a reason, made as the signed-in user (the
// service checks again that they are an active ADMIN and records them in the audit event).
import { DomainError, idSchema } from "@cxr/domain";
import { z } from "zod";
import { serviceCall, type ModelsClient } from "./client";
import { parseMetrics } from "./view";

export const reasonSchema = z.string().trim().min(5, "Say why, in at least 5 characters.").max(2000);

export const promoteSchema = z.object({
  id: idSchema,
  reason: reasonSchema,
  /** for a version that did not pass the gate: its version number (e.g. "v3"), typed by the user */
  confirm: z.string().trim().max(100).optional(),
});
export const decisionSchema = z.object({ id: idSchema, reason: reasonSchema });

/** What the user must type to promote past a failed gate. */
export const confirmationFor = (version: number) => `v${version}`;

export async function promoteVersion(
  client: ModelsClient,
  actorId: string,
  input: z.infer<typeof promoteSchema>,
) {
  const model = await serviceCall(() => client.models.get.query({ id: input.id }));
  const passed = parseMetrics(model.metrics)?.gate?.passed === true;
  if (!passed && input.confirm !== confirmationFor(model.version))
    throw new DomainError(
      "BAD_REQUEST",
      `v${model.version} did not pass the promotion gate: type ${confirmationFor(model.version)} to promote it anyway`,
    );
  const change = await serviceCall(() =>
    client.models.promote.mutate({ id: input.id, actorId, reason: input.reason, overrideGate: !passed }),
  );
  return { championId: change.champion.id, retired: change.retired, gateOverridden: !passed };
}

/** Back to this former champion. */
export async function rollbackTo(
  client: ModelsClient,
  actorId: string,
  input: z.infer<typeof decisionSchema>,
) {
  const model = await serviceCall(() => client.models.get.query({ id: input.id }));
  const change = await serviceCall(() =>
    client.models.rollback.mutate({
      labelSet: model.labelSet,
      toId: model.id,
      actorId,
      reason: input.reason,
    }),
  );
  return { championId: change.champion.id, retired: change.retired };
}

export async function rejectVersion(
  client: ModelsClient,
  actorId: string,
  input: z.infer<typeof decisionSchema>,
) {
  const model = await serviceCall(() =>
    client.models.reject.mutate({ id: input.id, actorId, reason: input.reason }),
  );
  return { id: model.id, status: model.status };
}
