import { z } from "zod";

/** Bounds applied to untrusted input before anything is decoded fully or stored. */
export const limitsSchema = z.object({
  /** bytes of one file (zip members included) */
  maxFileBytes: z
    .number()
    .int()
    .positive()
    .default(512 * 1024 * 1024),
  /** width x height of one image or frame: a 14x17" detector at 100 um is about 25 Mpx */
  maxPixels: z.number().int().positive().default(64_000_000),
  /** frames of one DICOM object that are decoded */
  maxFrames: z.number().int().positive().default(2_000),
  /** members of one zip */
  maxZipEntries: z.number().int().positive().default(10_000),
  /** time one file may take to validate and decode in its worker before it is stopped and refused */
  decodeTimeoutMs: z.number().int().positive().default(60_000),
  /**
   * uncompressed / compressed size of a zip member above which it is refused as a bomb (deflate tops out near
   * 1030; images, DICOM padding included, stay far below 100)
   */
  maxZipCompressionRatio: z.number().positive().default(200),
  /** bytes of one zip once uncompressed, all members together */
  maxZipUncompressedBytes: z
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024 * 1024),
});

export type Limits = z.infer<typeof limitsSchema>;
export type LimitsInput = z.input<typeof limitsSchema>;

export const defaultLimits: Limits = limitsSchema.parse({});

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024 / 1024).toFixed(1)} GiB`;
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** A pixel count for messages: "64 Mpx", "0.05 Mpx". */
export function formatPixels(pixels: number): string {
  return `${Number((pixels / 1e6).toPrecision(2))} Mpx`;
}
