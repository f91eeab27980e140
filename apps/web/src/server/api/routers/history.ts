// History: one image's timeline beside the viewer (readers: RADIOLOGIST, and ADMIN) and the audit log
// (ADMIN only: it names every actor and what they changed).
import { auditLogPage, auditLogPageSchema } from "~/server/services/history/audit-log";
import { imageTimeline, timelineInputSchema } from "~/server/services/history/timeline";
import { roleProcedure, router } from "../trpc";

export const historyRouter = router({
  image: roleProcedure("ADMIN", "RADIOLOGIST")
    .input(timelineInputSchema)
    .query(({ ctx, input }) => imageTimeline(ctx.db, input.imageId, ctx.session.user.id)),

  auditLog: roleProcedure("ADMIN")
    .input(auditLogPageSchema)
    .query(({ ctx, input }) => auditLogPage(ctx.db, input)),
});
