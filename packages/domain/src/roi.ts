// Regions of interest: one definition for the viewer, drafts, decisions, training masks and exports.
// Points are image coordinates normalised to [0, 1] on both axes, so a region stays on the anatomy whatever
// the zoom, pan or window. Rectangles and ellipses are two opposite corners, polygons and freehand outlines
// their points, a brush stroke its centre line (a dot: the same point twice) with `strokeWidth` as a
// fraction of the image's width, a point one spot.
import { z } from "zod";
import { annotationShapes } from "./enums";
import { idSchema } from "./ids";

/** The shapes a reader draws in the viewer (imported data may also hold POINT). */
export const drawnRoiShapes = ["RECTANGLE", "ELLIPSE", "POLYGON", "FREEHAND", "BRUSH"] as const;
export type RoiShape = (typeof drawnRoiShapes)[number];

export const maxRoiPoints = 2000;
export const maxRoisPerRead = 200;

const unit = z.number().min(0).max(1);
const normalisedPoint = z.tuple([unit, unit]);
const strokeWidth = z.number().positive().max(1);

const isOutline = (shape: string) => shape === "POLYGON" || shape === "FREEHAND";

/** A region as a reader submits it with a decision: every rule a saved region must keep. */
export const roiSchema = z
  .object({
    shape: z.enum(drawnRoiShapes),
    classId: idSchema.nullable(),
    points: z.array(normalisedPoint).min(2).max(maxRoiPoints),
    strokeWidth: strokeWidth.nullable().default(null),
  })
  .refine((r) => !isOutline(r.shape) || r.points.length >= 3, { message: "An outline needs three points." })
  .refine((r) => isOutline(r.shape) || r.shape === "BRUSH" || r.points.length === 2, {
    message: "Give the two corners.",
  })
  .refine((r) => (r.shape === "BRUSH") === (r.strokeWidth !== null), {
    message: "A brush stroke needs its width, and only a brush stroke has one.",
  });
export type RoiInput = z.input<typeof roiSchema>;
export type RoiBody = z.output<typeof roiSchema>;

/** A region in the viewer and in a draft: the reader's work in progress, with the viewer's local id. */
export const draftRoiSchema = z.object({
  id: idSchema,
  shape: z.enum(drawnRoiShapes),
  classId: idSchema.nullable(),
  points: z.array(normalisedPoint).max(maxRoiPoints),
  strokeWidth: strokeWidth.nullable().optional(),
});
export type Roi = z.infer<typeof draftRoiSchema>;

/**
 * A region as stored (an Annotation row's shape, points and strokeWidth), read leniently: imported regions
 * may be points, and nothing is rejected that the database already holds.
 */
export const storedRoiSchema = z.object({
  shape: z.enum(annotationShapes),
  points: z.array(z.tuple([z.number().finite(), z.number().finite()])).min(1),
  strokeWidth: strokeWidth.nullable().optional(),
});
export type StoredRoi = z.infer<typeof storedRoiSchema>;
