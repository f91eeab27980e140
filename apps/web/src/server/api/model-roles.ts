// Who may do what with models and training: one definition for the models and training routers.
import { roleProcedure } from "./trpc";

/** Reading models, runs and policies: administrators and radiologists. */
export const modelViewProcedure = roleProcedure("ADMIN", "RADIOLOGIST");
/** Changing the champion, training, the policy: administrators only (the service checks again). */
export const modelAdminProcedure = roleProcedure("ADMIN");
