import { getInferenceClient } from "~/server/inference";
import { listBackbones } from "~/server/services/backbones";
import { roleProcedure, router } from "../trpc";

/** Pretrained backbones: administrators only (uploads go through POST /api/backbones). */
export const backbonesRouter = router({
  list: roleProcedure("ADMIN").query(() => listBackbones(getInferenceClient())),
});
