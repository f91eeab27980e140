// The review workspace's API: the reader's queue, one case, the reader's drafts, opening a campaign
// assignment, and submitting a decision. Every procedure is for readers (RADIOLOGIST, and ADMIN).
import { idSchema } from "@cxr/domain";
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
import { listModelVersions, listQueue, queueFilterSchema } from "~/server/services/review/queue";
import { roleProcedure, router } from "../trpc";

// reading is the radiologist's job; admins may look over their shoulder
const readerProcedure = roleProcedure("ADMIN", "RADIOLOGIST");

export const reviewRouter = router({
  queue: readerProcedure
    .input(queueFilterSchema)
    .query(({ ctx, input }) => listQueue(ctx.db, input, ctx.session.user.id)),

  modelVersions: readerProcedure.query(({ ctx }) => listModelVersions(ctx.db)),

  case: readerProcedure
    .input(
      z.object({
        imageId: idSchema,
        modelVersionId: idSchema.optional(),
        /** the campaign assignment the case is opened from (it must be the reader's own) */
        assignmentId: idSchema.optional(),
      }),
    )
    .query(({ ctx, input }) =>
      getCase(ctx.db, input.imageId, input.modelVersionId, {
        id: ctx.session.user.id,
        assignmentId: input.assignmentId ?? null,
      }),
    ),

  /** the reader opened their assignment's case: PENDING -> IN_PROGRESS */
  startAssignment: readerProcedure
    .input(z.object({ assignmentId: idSchema }))
    .mutation(({ ctx, input }) => startAssignment(ctx.db, ctx.session.user.id, input.assignmentId)),

  draft: readerProcedure
    .input(draftRefSchema)
    .query(({ ctx, input }) => loadServerDraft(ctx.db, ctx.session.user.id, input.imageId)),

  saveDraft: readerProcedure
    .input(saveDraftSchema)
    .mutation(({ ctx, input }) => saveServerDraft(ctx.db, ctx.session.user.id, input)),

  deleteDraft: readerProcedure
    .input(draftRefSchema)
    .mutation(({ ctx, input }) => deleteServerDraft(ctx.db, ctx.session.user.id, input.imageId)),

  submit: readerProcedure
    .input(decisionSchema)
    .mutation(({ ctx, input }) =>
      submitDecision(ctx.db, { id: ctx.session.user.id, role: ctx.session.user.role }, input),
    ),
});
