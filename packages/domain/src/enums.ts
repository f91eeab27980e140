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
  "CAM_ROI_DISAGREEMENT",
  "DIVERSITY",
  "WEIGHTED_MIX",
] as const;
export type QueueStrategy = (typeof queueStrategies)[number];

/** Which read of a reader-study case an assignment asks for (SINGLE outside reader studies). */
export const readingPhases = ["SINGLE", "UNAIDED", "AIDED"] as const;
export type ReadingPhase = (typeof readingPhases)[number];
/** A reader study's order of a case's two reads: unaided first always, or half the cases aided first per reader. */
export const readerStudyDesigns = ["SEQUENTIAL", "CROSSOVER"] as const;
export type ReaderStudyDesign = (typeof readerStudyDesigns)[number];

// The model registry and training runs (Prisma's ModelStatus, Architecture, TrainingMode, LabelSource and
// TrainingStatus): the inference service's contract (`@cxr/inference-api`) and admin screens share them.
export const modelStatuses = ["CANDIDATE", "CHAMPION", "RETIRED", "REJECTED"] as const;
export type ModelStatus = (typeof modelStatuses)[number];
export const modelStatusSchema = z.enum(modelStatuses);

export const modelArchitectures = ["COMPACT_CNN", "VGG16", "DENSENET121", "RESNET50"] as const;
export type ModelArchitecture = (typeof modelArchitectures)[number];
export const modelArchitectureSchema = z.enum(modelArchitectures);

/** HEAD_ONLY: a new head on the champion's frozen backbone; FULL_FINE_TUNE: every layer from the champion's weights;
 * FROM_SCRATCH: every layer from random (or registered pretrained) weights. */
export const trainingModes = ["HEAD_ONLY", "FULL_FINE_TUNE", "FROM_SCRATCH"] as const;
export type TrainingMode = (typeof trainingModes)[number];
export const trainingModeSchema = z.enum(trainingModes);

/** Which reads a training run learns from: adjudicated consensus, readers' corrections, imported labels. */
export const labelSources = ["CONSENSUS", "CORRECTED", "IMPORTED"] as const;
export type LabelSource = (typeof labelSources)[number];
export const labelSourceSchema = z.enum(labelSources);

export const trainingStatuses = [
  "QUEUED",
  "RUNNING",
  "SUCCEEDED",
  "FAILED",
  "CANCELLED",
  "INTERRUPTED",
] as const;
export type TrainingStatus = (typeof trainingStatuses)[number];
export const trainingStatusSchema = z.enum(trainingStatuses);
