// The adjudication queue and decisions. Callers: ADMIN and RADIOLOGIST (adjudicators are readers); the
// service lets a radiologist see and decide only the campaigns they are an ADJUDICATOR member of.
import { idSchema } from "@cxr/domain";
import { z } from "zod";
import {
  adjudicationQueueSchema,
  decideAdjudication,
  decideSchema,
  getAdjudication,
  listAdjudications,
} from "~/server/services/consensus/adjudication";
import { roleProcedure, router } from "../trpc";

const adjudicatorProcedure = roleProcedure("ADMIN", "RADIOLOGIST");

export const adjudicationRouter = router({
  queue: adjudicatorProcedure
    .input(adjudicationQueueSchema)
    .query(({ ctx, input }) => listAdjudications(ctx.db, ctx.session.user, input)),

  get: adjudicatorProcedure
    .input(z.object({ id: idSchema }))
    .query(({ ctx, input }) => getAdjudication(ctx.db, ctx.session.user, input.id)),

  decide: adjudicatorProcedure
    .input(decideSchema)
    .mutation(({ ctx, input }) => decideAdjudication(ctx.db, ctx.session.user, input)),
});
