// A decision as the submit API takes it: the case's ids, the reader's decision, the time spent and the ROIs
// (a width for brush strokes only).
import { type SubmitInput } from "./api-types";
import { type CaseState } from "./case-state";

interface SubmittedCase {
  image: { id: string };
  labelSetId: string;
  prediction: { id: string } | null;
  assignment: { id: string } | null;
}

/** The submit input, or null while there is no class to submit. */
export function submitInput(data: SubmittedCase, state: CaseState, durationMs: number): SubmitInput | null {
  const d = state.decision;
  if (!d.classId) return null;
  return {
    imageId: data.image.id,
    labelSetId: data.labelSetId,
    baseReadId: d.baseReadId,
    classId: d.classId,
    predictionId: data.prediction?.id ?? null,
    assignmentId: data.assignment?.id ?? null,
    notDiagnostic: d.notDiagnostic,
    secondOpinion: d.secondOpinion,
    comment: d.comment,
    durationMs,
    rois: state.rois.present.map(({ shape, classId, points, strokeWidth }) => ({
      shape,
      classId,
      points,
      strokeWidth: shape === "BRUSH" ? (strokeWidth ?? null) : null,
    })),
  };
}
