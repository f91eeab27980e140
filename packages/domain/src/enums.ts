// The domain's enumerations, as plain lists so browsers, services and schemas share them without Prisma's
// client. `packages/db/test/domain-enums.test.ts` fails when one of them and Prisma's enum of the same name
// disagree, so the schema stays their source.
import { z } from "zod";

export const roles = ["ADMIN", "RADIOLOGIST", "ANNOTATOR"] as const;
export type Role = (typeof roles)[number];
export const roleSchema = z.enum(roles);
export const isRole = (value: unknown): value is Role => roles.includes(value as Role);

export const modalities = ["CR", "DX", "CT"] as const;
export type Modality = (typeof modalities)[number];
export const modalitySchema = z.enum(modalities);

export const viewPositions = ["PA", "AP", "APS", "L", "AXIAL", "CORONAL"] as const;
export type ViewPosition = (typeof viewPositions)[number];
export const viewPositionSchema = z.enum(viewPositions);

export const annotationShapes = ["RECTANGLE", "ELLIPSE", "POLYGON", "FREEHAND", "POINT", "BRUSH"] as const;
export type AnnotationShape = (typeof annotationShapes)[number];

export const splits = ["TRAIN", "VALIDATION", "TEST"] as const;
export type Split = (typeof splits)[number];

export const queueStrategies = [
  "FIFO",
  "RANDOM",
  "ENTROPY",
  "MARGIN",
  "LEAST_CONFIDENCE",
  "BALD",
  "COMMITTEE_DISAGREEMENT",
  "CRITICAL_CONFUSION",
] as const;
export type QueueStrategy = (typeof queueStrategies)[number];
