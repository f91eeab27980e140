// Download addresses and their query strings: one place builds them (the exports procedures, the pages) and
// parses them back (the route handlers), so the filters survive the trip unchanged.
import { DomainError } from "@cxr/domain";
import { type z } from "zod";

export type Download =
  | "labels.csv"
  | "labels.json"
  | "coco.json"
  | "audit-log.csv"
  | "model-card.md"
  | "model-card.html"
  | "dicom-sr.dcm"
  | "dicom-seg.dcm"
  | "masks.zip";

export function downloadUrl(file: Download, filter: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter))
    if (v !== undefined && v !== null && v !== "")
      params.set(k, v instanceof Date ? v.toISOString() : String(v));
  const query = params.toString();
  return `/api/exports/${file}${query ? `?${query}` : ""}`;
}

/** A download's query string through its zod schema; a bad filter is the client's error (400). */
export function parseQuery<S extends z.ZodType>(schema: S, url: string): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(new URL(url).searchParams));
  if (!parsed.success)
    throw new DomainError(
      "BAD_REQUEST",
      `Bad export filter: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}
