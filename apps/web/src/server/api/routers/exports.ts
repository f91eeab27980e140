// Exports: the downloads stream from route handlers (/api/exports/*, too large for one tRPC answer); these
// procedures check the filters and name the download's address. Labels, ROIs (COCO, PNG masks) and an image's
// read as DICOM SR/SEG: readers (RADIOLOGIST, and ADMIN), and a version's model card likewise; so is sending
// the SR/SEG to the configured PACS. The audit log's CSV and the COCO import: ADMIN only.
import { z } from "zod";
import { auditLogFilterSchema } from "~/server/services/history/audit-log";
import { cocoImportInputSchema, importCoco } from "~/server/services/exports/coco-import";
import { exportFilterSchema } from "~/server/services/exports/labels";
import { modelCardFormats, modelCardInputSchema } from "~/server/services/exports/model-card";
import { downloadUrl } from "~/server/services/exports/urls";
import { dicomExportInputSchema, pushToPacs } from "~/server/services/exports/dicom";
import { getStorage } from "~/server/storage";
import { pacsDicomwebUrl } from "~/env";
import { roleProcedure, router } from "../trpc";

export const exportsRouter = router({
  labels: roleProcedure("ADMIN", "RADIOLOGIST")
    .input(exportFilterSchema.extend({ format: z.enum(["csv", "json"]) }))
    .query(({ input: { format, ...filter } }) => ({ url: downloadUrl(`labels.${format}`, filter) })),

  coco: roleProcedure("ADMIN", "RADIOLOGIST")
    .input(exportFilterSchema)
    .query(({ input }) => ({ url: downloadUrl("coco.json", input) })),

  masks: roleProcedure("ADMIN", "RADIOLOGIST")
    .input(exportFilterSchema)
    .query(({ input }) => ({ url: downloadUrl("masks.zip", input) })),

  dicomSr: roleProcedure("ADMIN", "RADIOLOGIST")
    .input(dicomExportInputSchema)
    .query(({ input }) => ({ url: downloadUrl("dicom-sr.dcm", input) })),

  dicomSeg: roleProcedure("ADMIN", "RADIOLOGIST")
    .input(dicomExportInputSchema)
    .query(({ input }) => ({ url: downloadUrl("dicom-seg.dcm", input) })),

  pushToPacs: roleProcedure("ADMIN", "RADIOLOGIST")
    .input(dicomExportInputSchema)
    .mutation(({ ctx, input }) =>
      pushToPacs({ db: ctx.db, storage: getStorage }, input, pacsDicomwebUrl(), ctx.session.user),
    ),

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
