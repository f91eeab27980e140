import { z } from "zod";
import {
  backboneViewSchema,
  listBackbonesInputSchema,
  registerBackboneInputSchema,
  registerBackboneResultSchema,
} from "../contract/backbones";
import { createTRPCRouter, serviceProcedure } from "../trpc";

export const backbonesRouter = createTRPCRouter({
  list: serviceProcedure
    .input(listBackbonesInputSchema)
    .output(z.array(backboneViewSchema))
    .query(({ ctx, input }) => ctx.service.backbones.list(input)),
  /** imports an uploaded Keras weight file as its architecture's pretrained backbone (an active ADMIN acts) */
  register: serviceProcedure
    .input(registerBackboneInputSchema)
    .output(registerBackboneResultSchema)
    .mutation(({ ctx, input }) => ctx.service.backbones.register(input)),
});
