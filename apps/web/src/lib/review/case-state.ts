// The open case as one reducer: the reader's decision, the ROIs with undo/redo, the selected ROI and the heat
// map's class. A case starts from `openCase` (draft reconciliation, see reconcile.ts); the actions that keys
// send have the keymap's shapes.
import { type Draft } from "./draft";
import { commit, redo, undo, type History } from "./history";
import { type Roi } from "./roi";

export interface DecisionState {
  imageId: string;
  baseReadId: string | null;
  classId: string | null;
  notDiagnostic: boolean;
  secondOpinion: boolean;
  comment: string;
  /** reader studies: the 0-100 rating that the study class is present (null: not given yet) */
  studyRating: number | null;
}

export type DecisionPatch = Partial<Omit<DecisionState, "imageId">>;

export interface CaseState {
  decision: DecisionState;
  rois: History<Roi[]>;
  selectedRoiId: string | null;
  heatClassId: string | null;
  /** where the draft shown came from, when one was restored */
  restored: "local" | "server" | null;
  /** the draft content as opened (unchanged: nothing to write) and the decision in force's (back to it: no draft) */
  openedKey: string;
  headKey: string;
  /** the copy of the restored draft that lost (older, or missing) and must catch up */
  catchUp: { to: "local" | "server"; draft: Draft } | null;
  /** time spent on the case before this opening (a restored draft's) */
  elapsedBefore: number;
}

export type CaseAction =
  | { type: "open"; state: CaseState }
  | { type: "patch"; patch: DecisionPatch }
  | { type: "toggleNotDiagnostic" }
  | { type: "toggleSecondOpinion" }
  | { type: "changeRois"; rois: Roi[] }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "selectRoi"; id: string | null }
  /** without an id: the selected ROI */
  | { type: "deleteRoi"; id?: string }
  | { type: "roiClass"; id: string; classId: string | null }
  | { type: "rebase"; baseReadId: string | null }
  | { type: "heatClass"; classId: string }
  /** the next of the classes that have a heat map */
  | { type: "cycleHeatClass"; classIds: readonly string[] }
  | { type: "cancel" };

const patch = (s: CaseState, p: DecisionPatch): CaseState => ({ ...s, decision: { ...s.decision, ...p } });

const changeRois = (s: CaseState, rois: Roi[]): CaseState => {
  const next = commit(s.rois, rois);
  return next === s.rois ? s : { ...s, rois: next };
};

export function caseReducer(s: CaseState | null, a: CaseAction): CaseState | null {
  if (a.type === "open") return a.state;
  if (!s) return s;
  switch (a.type) {
    case "patch":
      return patch(s, a.patch);
    case "toggleNotDiagnostic":
      return patch(s, { notDiagnostic: !s.decision.notDiagnostic });
    case "toggleSecondOpinion":
      return patch(s, { secondOpinion: !s.decision.secondOpinion });
    case "changeRois":
      return changeRois(s, a.rois);
    case "undo":
      return { ...s, rois: undo(s.rois) };
    case "redo":
      return { ...s, rois: redo(s.rois) };
    case "selectRoi":
      return s.selectedRoiId === a.id ? s : { ...s, selectedRoiId: a.id };
    case "deleteRoi": {
      const id = a.id ?? s.selectedRoiId;
      if (!id || !s.rois.present.some((r) => r.id === id)) return s;
      const next = changeRois(
        s,
        s.rois.present.filter((r) => r.id !== id),
      );
      return id === s.selectedRoiId ? { ...next, selectedRoiId: null } : next;
    }
    case "roiClass":
      return changeRois(
        s,
        s.rois.present.map((r) => (r.id === a.id ? { ...r, classId: a.classId } : r)),
      );
    case "rebase":
      return patch(s, { baseReadId: a.baseReadId });
    case "heatClass":
      return { ...s, heatClassId: a.classId };
    case "cycleHeatClass": {
      const i = a.classIds.indexOf(s.heatClassId ?? "");
      const next = a.classIds[(i + 1) % Math.max(1, a.classIds.length)];
      return next ? { ...s, heatClassId: next } : s;
    }
    case "cancel":
      return s.selectedRoiId === null ? s : { ...s, selectedRoiId: null };
  }
}
