import { getInferenceClient } from "~/server/inference";
import { inferenceStatus } from "~/server/services/system";
import { protectedProcedure, router } from "../trpc";

export const systemRouter = router({
  /** The inference service's backend and version, or why it cannot be reached. */
  status: protectedProcedure.query(() => inferenceStatus(getInferenceClient())),
});
