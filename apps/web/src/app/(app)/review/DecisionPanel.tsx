"use client";
// The reader's decision: class (number keys), flags, comment, the ROI list, and submit (Enter).
import { Alert, Button } from "@cxr/ui";
import { type ReactNode, type RefObject } from "react";
import { type SyncStatus } from "~/lib/review/autosave";
import { type DecisionPatch, type DecisionState } from "~/lib/review/case-state";
import { type Roi } from "~/lib/review/roi";
import { type CaseClass } from "~/lib/review/api-types";
import { StudyRating, type StudyCase } from "./StudyRating";

interface Props {
  classes: CaseClass[];
  decision: DecisionState;
  rois: Roi[];
  selectedRoiId: string | null;
  head: { readerName: string | null; classId: string } | null;
  importedClassId: string | null;
  /** the image's consensus (never sent to a blinded reader) */
  consensus: {
    classId: string;
    method: string;
    agreement: number | null;
    decidedByName: string | null;
    rationale: string | null;
  } | null;
  /** a campaign case's task type (null outside campaigns) */
  task: "CLASSIFY" | "CLASSIFY_ROI" | "ROI_ONLY" | null;
  /** a reader study's read (null otherwise): its phase and the class rated */
  study: StudyCase | null;
  conflict: string | null;
  /** where the draft shown came from, when one was restored */
  draftRestored: "local" | "server" | null;
  /** the server copy's state; the browser's copy is always written first */
  draftStatus: SyncStatus | null;
  commentRef: RefObject<HTMLTextAreaElement | null>;
  onChange: (patch: DecisionPatch) => void;
  onRoiClass: (roiId: string, classId: string | null) => void;
  onSelectRoi: (roiId: string) => void;
  onDeleteRoi: (roiId: string) => void;
  onRebase: () => void;
  onSubmit: () => void;
}

const consensusMethod: Record<string, string> = {
  SINGLE_READER: "one reader",
  MAJORITY: "majority",
  UNANIMOUS: "unanimous",
  ADJUDICATED: "adjudicated",
};

const taskHint: Record<NonNullable<Props["task"]>, string> = {
  CLASSIFY: "Task: choose a label; this campaign takes no regions.",
  CLASSIFY_ROI: "Task: choose a label and draw the regions that show it.",
  ROI_ONLY: "Task: draw each finding's region and give every region a label.",
};

export function DecisionPanel(p: Props) {
  const className = (id: string | null) => p.classes.find((c) => c.id === id)?.name ?? "none";
  return (
    <section className="review-panel" aria-labelledby="decision-title">
      <h2 id="decision-title" className="review-panel__title">
        Your decision
      </h2>
      {p.conflict ? (
        <Alert tone="error">
          <strong>Someone else decided on this case.</strong>
          <p data-testid="conflict-message">{p.conflict}</p>
          <Button size="sm" variant="secondary" onClick={p.onRebase}>
            Replace their decision with mine
          </Button>
        </Alert>
      ) : null}
      <DraftStatus status={p.draftStatus} />
      {p.draftRestored ? (
        <p className="review-muted" data-testid="draft-restored" data-source={p.draftRestored}>
          {p.draftRestored === "server"
            ? "Draft restored from the server."
            : "Draft restored from this browser."}
        </p>
      ) : null}
      {p.head ? (
        <p className="review-muted" data-testid="current-read">
          In force: {className(p.head.classId)} by {p.head.readerName ?? "a reader"}. Submitting replaces it.
        </p>
      ) : null}
      {p.importedClassId ? (
        <p className="review-muted">Label from import: {className(p.importedClassId)}</p>
      ) : null}
      {p.consensus ? (
        <p className="review-muted" data-testid="consensus">
          Consensus: <strong>{className(p.consensus.classId)}</strong> (
          {consensusMethod[p.consensus.method] ?? p.consensus.method}
          {p.consensus.decidedByName ? ` by ${p.consensus.decidedByName}` : ""})
          {p.consensus.rationale ? `: ${p.consensus.rationale}` : ""}
        </p>
      ) : null}
      {p.task ? (
        <p className="review-muted" data-testid="campaign-task">
          {taskHint[p.task]}
        </p>
      ) : null}
      <fieldset className="review-classes">
        <legend>Class</legend>
        {p.classes.map((c, i) => (
          <label key={c.id} className="review-class">
            <input
              type="radio"
              name="decision-class"
              value={c.id}
              checked={p.decision.classId === c.id}
              onChange={() => p.onChange({ classId: c.id })}
            />
            <kbd>{c.hotkey ? c.hotkey.toUpperCase() : i + 1}</kbd> <span style={{ color: c.color }}>■</span>{" "}
            {c.name}
          </label>
        ))}
      </fieldset>
      <div className="review-flags">
        <Flag checked={p.decision.notDiagnostic} onToggle={(v) => p.onChange({ notDiagnostic: v })}>
          Not diagnostic <kbd>X</kbd>
        </Flag>
        <Flag checked={p.decision.secondOpinion} onToggle={(v) => p.onChange({ secondOpinion: v })}>
          Needs second opinion <kbd>O</kbd>
        </Flag>
      </div>
      <label className="review-comment">
        Comment <kbd>C</kbd>
        <textarea
          ref={p.commentRef}
          rows={3}
          maxLength={4000}
          value={p.decision.comment}
          onChange={(e) => p.onChange({ comment: e.target.value })}
        />
      </label>
      <h3 className="review-panel__subtitle">Regions of interest ({p.rois.length})</h3>
      {p.rois.length === 0 ? (
        <p className="review-muted">
          None. Draw with R (rectangle), E (ellipse), P (polygon), L (lasso) or D (brush).
        </p>
      ) : (
        <ul className="review-rois" data-testid="roi-list">
          {p.rois.map((r, i) => (
            <li key={r.id} className={r.id === p.selectedRoiId ? "review-rois__item--selected" : undefined}>
              <button type="button" className="review-link" onClick={() => p.onSelectRoi(r.id)}>
                {i + 1}. {r.shape.toLowerCase()}
              </button>
              <select
                aria-label={`Class of region ${i + 1}`}
                value={r.classId ?? ""}
                onChange={(e) => p.onRoiClass(r.id, e.target.value || null)}
              >
                <option value="">no class</option>
                {p.classes.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Delete region ${i + 1}`}
                onClick={() => p.onDeleteRoi(r.id)}
              >
                ✕
              </Button>
            </li>
          ))}
        </ul>
      )}
      {p.study ? <StudyRating study={p.study} rating={p.decision.studyRating} onChange={p.onChange} /> : null}
      <Button
        onClick={p.onSubmit}
        disabled={!p.decision.classId || (p.study !== null && p.decision.studyRating === null)}
        className="review-submit"
      >
        Submit and next <kbd>Enter</kbd>
      </Button>
    </section>
  );
}

const statusText: Record<SyncStatus["state"], string | null> = {
  idle: null,
  pending: "Saving…",
  saving: "Saving…",
  saved: "Draft saved",
  offline: "Offline – saved on this device",
  unauthorized: "Signed out – saved on this device",
  error: "Not saved on the server – saved on this device",
};

/** A small line: is the draft on the server yet, or only in this browser? */
function DraftStatus({ status }: { status: SyncStatus | null }) {
  const text = status ? statusText[status.state] : null;
  if (!status || !text) return null;
  return (
    <p
      className={`review-muted review-draft-status review-draft-status--${status.state}`}
      data-testid="draft-status"
      data-state={status.state}
      role="status"
      title={status.state === "error" ? status.message : undefined}
    >
      {text}
    </p>
  );
}

/** A decision flag's checkbox, its label text and key after it. */
function Flag(props: { checked: boolean; onToggle: (checked: boolean) => void; children: ReactNode }) {
  return (
    <label>
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onToggle(e.target.checked)} />{" "}
      {props.children}
    </label>
  );
}
