// What every ingest command shares: the usage text, the usage error, and the option parsers.
import { describeError } from "@cxr/imaging";
import { z } from "zod";
import { datasetFormats } from "./dataset-formats";

export const USAGE = `usage:
  npm run ingest -- import --format ${datasetFormats.join("|")} PATH [--label-set NAME] [--view PA] [--modality X-ray] [--masks DIR] [--deidentify]
  npm run ingest -- dicom FILE_OR_DIR... [--frame N] [--deidentify]
  npm run ingest -- dicomweb --url URL [--since DATE] [--until DATE] [--modality DX] [--description TEXT] [--deidentify]
  npm run ingest -- render IN.dcm OUT.png [--window CENTER,WIDTH] [--frame N]
  npm run ingest -- report JOB_ID`;

export class UsageError extends Error {}

export const positiveFrame = z.coerce.number().int().min(1, { error: "--frame counts from 1" });
export const windowSchema = z
  .string()
  .regex(/^-?\d+(\.\d+)?,\d+(\.\d+)?$/, { error: "--window wants CENTER,WIDTH, e.g. 40,400" })
  .transform((s) => {
    const [center, width] = s.split(",").map(Number);
    return { center: center ?? 0, width: width ?? 1 };
  });

/** Prints a failed command's error for a person and returns the exit code (2: usage, 1: failure). */
export function reportCliError(error: unknown): number {
  if (error instanceof UsageError) console.error(`${error.message}\n${USAGE}`);
  else if (error instanceof z.ZodError) console.error(error.issues.map((i) => i.message).join("; "));
  else console.error(`ingest: ${describeError(error)}`);
  return error instanceof UsageError || error instanceof z.ZodError ? 2 : 1;
}
