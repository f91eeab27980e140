// Who may do what with models and training: one definition for the models and training routers.
import type { InferenceClient } from "@cxr/inference-api/client";
import { getInferenceClient } from "~/server/inference";
import { roleProcedure } from "./trpc";

/** Reading models, runs and policies: administrators and radiologists. */
export const modelViewProcedure = roleProcedure("ADMIN", "RADIOLOGIST");
/** Changing the champion, training, the policy: administrators only (the service checks again). */
export const modelAdminProcedure = roleProcedure("ADMIN");

/** A procedure body calling `fn` with the inference client, the signed-in user as the acting person, and the input. */
export function asActor<I, R>(fn: (client: InferenceClient, actorId: string, input: I) => R) {
  return ({ ctx, input }: { ctx: { session: { user: { id: string } } }; input: I }) =>
    fn(getInferenceClient(), ctx.session.user.id, input);
}
