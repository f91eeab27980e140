// Draft reconciliation: which state a case opens in (the newer of the browser's and the server's draft, else
// the decision in force), which copy must catch up, and what autosave does with each change (nothing when
// unchanged, delete the draft when back to nothing or to the decision in force, else save).
import { type CaseState, type DecisionState } from "./case-state";
import { isEmptyDraft, newerDraft, type Draft } from "./draft";
import { startHistory } from "./history";
import { roiFromStored, type Roi } from "./roi";

/** What reconciliation needs of a case (the review API's `case` answer has it). */
export interface CaseSource {
  image: { id: string };
  head: {
    id: string;
    classId: string;
    notDiagnostic: boolean;
    secondOpinion: boolean;
    notes: string | null;
  } | null;
  annotations: Parameters<typeof roiFromStored>[0][];
  prediction: { predictedClassId: string | null; maps: { classId: string }[] } | null;
}

export type DraftContent = Pick<
  Draft,
  "baseReadId" | "classId" | "notDiagnostic" | "secondOpinion" | "comment" | "studyRating" | "rois"
>;

/** What a draft keeps of the decision and the ROIs (a brush stroke's width, nobody else's). */
export function draftContent(d: DecisionState, rois: readonly Roi[]): DraftContent {
  return {
    baseReadId: d.baseReadId,
    classId: d.classId,
    notDiagnostic: d.notDiagnostic,
    secondOpinion: d.secondOpinion,
    comment: d.comment,
    studyRating: d.studyRating,
    rois: rois.map(({ id, shape, classId, points, strokeWidth }) => ({
      id,
      shape,
      classId,
      points,
      ...(shape === "BRUSH" ? { strokeWidth: strokeWidth ?? null } : {}),
    })),
  };
}

export const contentKey = (c: DraftContent) => JSON.stringify(c);

/** The decision in force (or none) as the reader's starting point. */
function fromHead(data: CaseSource): { decision: DecisionState; rois: Roi[] } {
  const head = data.head;
  return {
    decision: {
      imageId: data.image.id,
      baseReadId: head?.id ?? null,
      classId: head?.classId ?? null,
      notDiagnostic: head?.notDiagnostic ?? false,
      secondOpinion: head?.secondOpinion ?? false,
      comment: head?.notes ?? "",
      studyRating: null,
    },
    rois: data.annotations.map(roiFromStored),
  };
}

/** The case's starting state from its data, the browser's draft and the server's draft. */
export function openCase(data: CaseSource, local: Draft | null, server: Draft | null): CaseState {
  const head = fromHead(data);
  const pick = newerDraft(local, server);
  const start = pick
    ? { decision: { imageId: data.image.id, ...pickDecision(pick.draft) }, rois: pick.draft.rois }
    : head;
  // the browser's copy won unless the server's is as new: the server catches up; the server's won: the browser
  const catchUp = !pick
    ? null
    : pick.from === "server"
      ? { to: "local" as const, draft: pick.draft }
      : !server || server.savedAt < pick.draft.savedAt
        ? { to: "server" as const, draft: pick.draft }
        : null;
  return {
    decision: start.decision,
    rois: startHistory(start.rois),
    selectedRoiId: null,
    heatClassId: data.prediction?.predictedClassId ?? data.prediction?.maps[0]?.classId ?? null,
    restored: pick?.from ?? null,
    openedKey: contentKey(draftContent(start.decision, start.rois)),
    headKey: contentKey(draftContent(head.decision, head.rois)),
    catchUp,
    elapsedBefore: pick?.draft.elapsedMs ?? 0,
  };
}

const pickDecision = (d: Draft): Omit<DecisionState, "imageId"> => ({
  baseReadId: d.baseReadId,
  classId: d.classId,
  notDiagnostic: d.notDiagnostic,
  secondOpinion: d.secondOpinion,
  comment: d.comment,
  studyRating: d.studyRating ?? null,
});

export type AutosaveStep =
  { kind: "none" } | { kind: "clear"; key: string } | { kind: "save"; key: string; content: DraftContent };

/**
 * What autosave does with the case's content now, given the content last written (`lastKey`): nothing when
 * unchanged; delete the draft when the reader undid everything or is back at the decision in force.
 */
export function autosaveStep(
  decision: DecisionState,
  rois: readonly Roi[],
  lastKey: string,
  headKey: string,
): AutosaveStep {
  const content = draftContent(decision, rois);
  const key = contentKey(content);
  if (key === lastKey) return { kind: "none" };
  if (isEmptyDraft(content) || key === headKey) return { kind: "clear", key };
  return { kind: "save", key, content };
}
