// The review workspace's API: the reader's queue, one case, the reader's drafts, opening a campaign
// assignment, and submitting a decision. Every procedure is for readers (RADIOLOGIST, and ADMIN).
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { startAssignment } from "~/server/services/review/campaign";
import { getCase } from "~/server/services/review/case";
import { decisionSchema, submitDecision } from "~/server/services/review/decision";
import {
  deleteServerDraft,
  draftRefSchema,
  loadServerDraft,
  saveDraftSchema,
  saveServerDraft,
} from "~/server/services/review/drafts";
import { ReviewError } from "~/server/services/review/errors";
import { listModelVersions, listQueue, queueFilterSchema } from "~/server/services/review/queue";
import { roleProcedure, router } from "../trpc";

// reading is the radiologist's job; admins may look over their shoulder
const readerProcedure = roleProcedure("ADMIN", "RADIOLOGIST");

const id = z.string().min(1).max(64);

async function mapErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ReviewError) throw new TRPCError({ code: error.code, message: error.message });
    throw error;
  }
}

export const reviewRouter = router({
  queue: readerProcedure
    .input(queueFilterSchema)
    .query(({ ctx, input }) => listQueue(ctx.db, input, ctx.session.user.id)),

  modelVersions: readerProcedure.query(({ ctx }) => listModelVersions(ctx.db)),

  case: readerProcedure
    .input(
      z.object({
        imageId: id,
        modelVersionId: id.optional(),
        /** the campaign assignment the case is opened from (it must be the reader's own) */
        assignmentId: id.optional(),
      }),
    )
    .query(({ ctx, input }) =>
      mapErrors(() =>
        getCase(ctx.db, input.imageId, input.modelVersionId, {
          id: ctx.session.user.id,
          assignmentId: input.assignmentId ?? null,
        }),
      ),
    ),

  /** the reader opened their assignment's case: PENDING -> IN_PROGRESS */
  startAssignment: readerProcedure
    .input(z.object({ assignmentId: id }))
    .mutation(({ ctx, input }) =>
      mapErrors(() => startAssignment(ctx.db, ctx.session.user.id, input.assignmentId)),
    ),

  draft: readerProcedure
    .input(draftRefSchema)
    .query(({ ctx, input }) => loadServerDraft(ctx.db, ctx.session.user.id, input.imageId)),

  saveDraft: readerProcedure
    .input(saveDraftSchema)
    .mutation(({ ctx, input }) => mapErrors(() => saveServerDraft(ctx.db, ctx.session.user.id, input))),

  deleteDraft: readerProcedure
    .input(draftRefSchema)
    .mutation(({ ctx, input }) => deleteServerDraft(ctx.db, ctx.session.user.id, input.imageId)),

  submit: readerProcedure
    .input(decisionSchema)
    .mutation(({ ctx, input }) =>
      mapErrors(() =>
        submitDecision(ctx.db, { id: ctx.session.user.id, role: ctx.session.user.role }, input),
      ),
    ),
});
