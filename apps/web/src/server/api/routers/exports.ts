// Exports: the downloads stream from route handlers (/api/exports/*, too large for one tRPC answer); these
// procedures check the filters and name the download's address. Labels and ROIs: readers (RADIOLOGIST, and
// ADMIN), and a version's model card likewise; the audit log's CSV and the COCO import: ADMIN only.
import { z } from "zod";
import { auditLogFilterSchema } from "~/server/services/history/audit-log";
import { cocoImportInputSchema, importCoco } from "~/server/services/exports/coco-import";
import { exportFilterSchema } from "~/server/services/exports/labels";
import { modelCardFormats, modelCardInputSchema } from "~/server/services/exports/model-card";
import { downloadUrl } from "~/server/services/exports/urls";
import { roleProcedure, router } from "../trpc";

export const exportsRouter = router({
  labels: roleProcedure("ADMIN", "RADIOLOGIST")
    .input(exportFilterSchema.extend({ format: z.enum(["csv", "json"]) }))
    .query(({ input: { format, ...filter } }) => ({ url: downloadUrl(`labels.${format}`, filter) })),

  coco: roleProcedure("ADMIN", "RADIOLOGIST")
    .input(exportFilterSchema)
    .query(({ input }) => ({ url: downloadUrl("coco.json", input) })),

  modelCard: roleProcedure("ADMIN", "RADIOLOGIST")
    .input(modelCardInputSchema.extend({ format: z.enum(modelCardFormats) }))
    .query(({ input: { format, ...card } }) => ({ url: downloadUrl(`model-card.${format}`, card) })),

  auditLog: roleProcedure("ADMIN")
    .input(auditLogFilterSchema)
    .query(({ input }) => ({ url: downloadUrl("audit-log.csv", input) })),

  importCoco: roleProcedure("ADMIN")
    .input(cocoImportInputSchema)
    .mutation(({ ctx, input }) => importCoco(ctx.db, input, ctx.session.user)),
});
