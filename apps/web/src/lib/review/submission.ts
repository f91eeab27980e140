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
    studyRating: d.studyRating,
    durationMs,
    rois: state.rois.present.map(({ shape, classId, points, strokeWidth }) => ({
      shape,
      classId,
      points,
      strokeWidth: shape === "BRUSH" ? (strokeWidth ?? null) : null,
    })),
  };
}

/** A decision on its way to the server: the id its submit carries on every retry, and what was decided. */
export interface PendingSubmit {
  submissionId: string;
  fingerprint: string;
}

// the decision without the clock: a resubmit of the same decision a moment later is the same attempt
const fingerprintOf = (input: SubmitInput) => JSON.stringify({ ...input, durationMs: 0, submissionId: null });

/**
 * The attempt a submit belongs to. The same decision sent again while the last answer is unknown (a lost
 * response) keeps its id, so the server returns the read it may have stored instead of a second one; a
 * changed decision is a new attempt (were the first stored, the server then answers CONFLICT, not the old read).
 */
export function submitAttempt(pending: PendingSubmit | undefined, input: SubmitInput, newId: () => string) {
  const fingerprint = fingerprintOf(input);
  const submissionId = pending?.fingerprint === fingerprint ? pending.submissionId : newId();
  return { submissionId, fingerprint };
}

/** A v4 UUID; crypto.randomUUID exists only on https and localhost, getRandomValues everywhere. */
export function newSubmissionId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
