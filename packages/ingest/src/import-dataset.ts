// `ingest import --format ...`: checks the layout and the label set first (a wrong folder creates no job and
// no row), then runs the import as a resumable job.
import path from "node:path";
import { z } from "zod";
import type { IngestContext } from "./context";
import { planCohen } from "./importers/cohen";
import { planFolder } from "./importers/folder";
import { planKermany } from "./importers/kermany";
import { planRadiographyDb } from "./importers/radiography-db";
import { DatasetLayoutError } from "./importers/layout";
import { loadLabelSet } from "./labels";
import { runJob, type RunOptions, type RunResult } from "./runner";
import { datasetFormats } from "./dataset-formats";

export const importRequestSchema = z.object({
  format: z.enum(datasetFormats),
  path: z.string().min(1),
  labelSet: z.string().min(1).default("cxr-4class"),
  /** cohen only: keep these views / modalities */
  views: z.array(z.string().min(1)).default([]),
  modalities: z.array(z.string().min(1)).default([]),
  /** folder only: a folder of lesion masks at the images' relative paths */
  masks: z.string().min(1).optional(),
  startedById: z.string().optional(),
});
export type ImportRequest = z.input<typeof importRequestSchema>;

export async function importDataset(
  ctx: IngestContext,
  input: ImportRequest,
  options: RunOptions = {},
): Promise<RunResult> {
  const request = importRequestSchema.parse(input);
  const root = path.resolve(request.path);
  if (request.masks && request.format !== "folder")
    throw new DatasetLayoutError("masks are read by the folder format only");
  const labelSet = await loadLabelSet(ctx.db, request.labelSet);
  const items =
    request.format === "cohen"
      ? await planCohen(ctx, root, labelSet, { views: request.views, modalities: request.modalities })
      : request.format === "kermany"
        ? await planKermany(ctx, root, labelSet)
        : request.format === "radiography-db"
          ? await planRadiographyDb(ctx, root, labelSet)
          : await planFolder(ctx, root, labelSet, request.masks ? { masks: request.masks } : {});
  const spec = {
    format: request.format,
    sourceRef: root,
    startedById: request.startedById,
    options: {
      labelSet: request.labelSet,
      views: request.views.join(",") || undefined,
      modalities: request.modalities.join(",") || undefined,
      masks: request.masks ? path.resolve(request.masks) : undefined,
      deidentified: ctx.deidentify ? true : undefined,
    },
  };
  return runJob(ctx, spec, items, options);
}
