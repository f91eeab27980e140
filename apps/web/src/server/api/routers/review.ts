// The review workspace's API: the reader's queue, one case, the reader's drafts, opening a campaign
// assignment, submitting a decision and skipping a case. Readers (RADIOLOGIST, and ADMIN) read the archive and
// their campaigns; annotators (ANNOTATOR) their own campaign assignments only (access.ts).
// The unassigned queue's cases are leased to the reader they are served to (leases.ts).
import { idSchema } from "@cxr/domain";
import { z } from "zod";
import { requireTaskCase, requireTaskImage, taskQueueFilter } from "~/server/services/review/access";
import { startAssignment } from "~/server/services/review/campaign";
import { getCase } from "~/server/services/review/case";
import { explainMap, explainMapInputSchema } from "~/server/services/cam-roi/explain";
import { scoreSavedRead } from "~/server/services/cam-roi/score";
import { getInferenceClient } from "~/server/inference";
import { decisionSchema, submitDecision } from "~/server/services/review/decision";
import { getStorage } from "~/server/storage";
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
// annotators too, on their assigned images only
const taskProcedure = roleProcedure("ADMIN", "RADIOLOGIST", "ANNOTATOR");

export const reviewRouter = router({
  queue: taskProcedure.input(queueFilterSchema).query(({ ctx, input }) =>
    listQueue(ctx.db, taskQueueFilter(ctx.session.user.role, input), ctx.session.user.id, {
      leaseSeconds: reviewLeaseSeconds(),
    }),
  ),

  modelVersions: readerProcedure.query(({ ctx }) => listModelVersions(ctx.db)),

  case: taskProcedure
    .input(
      z.object({
        imageId: idSchema,
        modelVersionId: idSchema.optional(),
        /** the campaign assignment the case is opened from (it must be the reader's own) */
        assignmentId: idSchema.optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      await requireTaskImage(ctx.db, ctx.session.user, input.imageId);
      const view = await getCase(ctx.db, input.imageId, input.modelVersionId, {
        id: ctx.session.user.id,
        assignmentId: input.assignmentId ?? null,
      });
      requireTaskCase(ctx.session.user.role, view);
      // opening an unassigned case takes or renews its lease; another reader's lease is only reported
      const lease = view.assignment
        ? null
        : await openLease(ctx.db, ctx.session.user.id, input.imageId, reviewLeaseSeconds());
      return { ...view, lease };
    }),

  /** the reader opened their assignment's case: PENDING -> IN_PROGRESS */
  startAssignment: taskProcedure
    .input(z.object({ assignmentId: idSchema }))
    .mutation(({ ctx, input }) => startAssignment(ctx.db, ctx.session.user.id, input.assignmentId)),

  draft: taskProcedure.input(draftRefSchema).query(async ({ ctx, input }) => {
    await requireTaskImage(ctx.db, ctx.session.user, input.imageId);
    return loadServerDraft(ctx.db, ctx.session.user.id, input.imageId);
  }),

  saveDraft: taskProcedure.input(saveDraftSchema).mutation(async ({ ctx, input }) => {
    await requireTaskImage(ctx.db, ctx.session.user, input.imageId);
    const saved = await saveServerDraft(ctx.db, ctx.session.user.id, input);
    // a reader still at work keeps the case
    await renewLease(ctx.db, ctx.session.user.id, input.imageId, reviewLeaseSeconds());
    return saved;
  }),

  deleteDraft: taskProcedure
    .input(draftRefSchema)
    .mutation(({ ctx, input }) => deleteServerDraft(ctx.db, ctx.session.user.id, input.imageId)),

  /** the reader skips the case: its lease ends, so other readers' queues get it */
  release: taskProcedure
    .input(draftRefSchema)
    .mutation(({ ctx, input }) => releaseLease(ctx.db, ctx.session.user.id, input.imageId)),

  submit: taskProcedure.input(decisionSchema).mutation(async ({ ctx, input }) => {
    await requireTaskImage(ctx.db, ctx.session.user, input.imageId);
    const saved = await submitDecision(
      ctx.db,
      { id: ctx.session.user.id, role: ctx.session.user.role },
      input,
    );
    if (input.rois.length > 0) await scoreSavedRead(ctx.db, getStorage, saved.readId);
    return saved;
  }),

  /**
   * Grad-CAM of any class and variant for the case, computed on demand and stored once. Readers, and annotators
   * on their assigned cases; nobody blinded to the case's model output (explain.ts).
   */
  explainMap: taskProcedure.input(explainMapInputSchema).mutation(async ({ ctx, input }) => {
    await requireTaskImage(ctx.db, ctx.session.user, input.imageId);
    return explainMap(ctx.db, getInferenceClient(), ctx.session.user.id, input);
  }),
});
