// The review workspace's API: the reader's queue, one case, the reader's drafts, opening a campaign
// assignment, submitting a decision and skipping a case. Every procedure is for readers (RADIOLOGIST, and ADMIN).
// The unassigned queue's cases are leased to the reader they are served to (leases.ts).
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
import { openLease, releaseLease, renewLease } from "~/server/services/review/leases";
import { listModelVersions, listQueue, queueFilterSchema } from "~/server/services/review/queue";
import { reviewLeaseSeconds } from "~/env";
import { roleProcedure, router } from "../trpc";

// reading is the radiologist's job; admins may look over their shoulder
const readerProcedure = roleProcedure("ADMIN", "RADIOLOGIST");

export const reviewRouter = router({
  queue: readerProcedure
    .input(queueFilterSchema)
    .query(({ ctx, input }) =>
      listQueue(ctx.db, input, ctx.session.user.id, { leaseSeconds: reviewLeaseSeconds() }),
    ),

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
    .query(async ({ ctx, input }) => {
      const view = await getCase(ctx.db, input.imageId, input.modelVersionId, {
        id: ctx.session.user.id,
        assignmentId: input.assignmentId ?? null,
      });
      // opening an unassigned case takes or renews its lease; another reader's lease is only reported
      const lease = view.assignment
        ? null
        : await openLease(ctx.db, ctx.session.user.id, input.imageId, reviewLeaseSeconds());
      return { ...view, lease };
    }),

  /** the reader opened their assignment's case: PENDING -> IN_PROGRESS */
  startAssignment: readerProcedure
    .input(z.object({ assignmentId: idSchema }))
    .mutation(({ ctx, input }) => startAssignment(ctx.db, ctx.session.user.id, input.assignmentId)),

  draft: readerProcedure
    .input(draftRefSchema)
    .query(({ ctx, input }) => loadServerDraft(ctx.db, ctx.session.user.id, input.imageId)),

  saveDraft: readerProcedure.input(saveDraftSchema).mutation(async ({ ctx, input }) => {
    const saved = await saveServerDraft(ctx.db, ctx.session.user.id, input);
    // a reader still at work keeps the case
    await renewLease(ctx.db, ctx.session.user.id, input.imageId, reviewLeaseSeconds());
    return saved;
  }),

  deleteDraft: readerProcedure
    .input(draftRefSchema)
    .mutation(({ ctx, input }) => deleteServerDraft(ctx.db, ctx.session.user.id, input.imageId)),

  /** the reader skips the case: its lease ends, so other readers' queues get it */
  release: readerProcedure
    .input(draftRefSchema)
    .mutation(({ ctx, input }) => releaseLease(ctx.db, ctx.session.user.id, input.imageId)),

  submit: readerProcedure
    .input(decisionSchema)
    .mutation(({ ctx, input }) =>
      submitDecision(ctx.db, { id: ctx.session.user.id, role: ctx.session.user.role }, input),
    ),
});
