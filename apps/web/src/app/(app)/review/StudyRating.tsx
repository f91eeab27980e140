"use client";
// A reader study's part of the case: which phase this read is (a banner at the top of the side panel, read before
// the case) and the reader's rating, 0-100, that the study class is present (a slider and a number input on the
// same value, both reachable by Tab).
import { Alert } from "@cxr/ui";
import { type DecisionPatch } from "~/lib/review/case-state";

export interface StudyCase {
  phase: "UNAIDED" | "AIDED";
  className: string;
}

const phaseText: Record<StudyCase["phase"], string> = {
  UNAIDED: "Reader study, unaided read: the model's output is hidden.",
  AIDED: "Reader study, aided read: the model's prediction and heat map are shown.",
};

export function StudyPhaseBanner({ study }: { study: StudyCase }) {
  return (
    <div className="review-phase" data-testid="study-phase" data-phase={study.phase}>
      <Alert tone="info">{phaseText[study.phase]}</Alert>
    </div>
  );
}

export function StudyRating(p: {
  study: StudyCase;
  rating: number | null;
  onChange: (patch: DecisionPatch) => void;
}) {
  const set = (v: string) => {
    const n = Math.round(Number(v));
    p.onChange({ studyRating: v === "" || !Number.isFinite(n) ? null : Math.min(100, Math.max(0, n)) });
  };
  return (
    <fieldset className="review-study" data-testid="study-rating">
      <legend>Your rating ({p.study.phase === "UNAIDED" ? "unaided" : "aided"} read)</legend>
      <label htmlFor="study-rating-range">
        How likely is {p.study.className} present? 0 surely absent, 100 surely present (required)
      </label>
      <div style={{ display: "flex", gap: "0.5rem", alignItems: "center" }}>
        <input
          id="study-rating-range"
          type="range"
          min={0}
          max={100}
          step={1}
          aria-label={`Rating that ${p.study.className} is present (slider)`}
          value={p.rating ?? 50}
          onChange={(e) => set(e.target.value)}
        />
        <input
          type="number"
          className="cxr-field__input"
          style={{ width: "5rem" }}
          min={0}
          max={100}
          aria-label={`Rating that ${p.study.className} is present, 0-100`}
          value={p.rating ?? ""}
          onChange={(e) => set(e.target.value)}
        />
      </div>
      {p.rating === null ? <p className="review-muted">Give a rating to submit.</p> : null}
    </fieldset>
  );
}

/** The reader-study part of a case's assignment, or null outside reader studies. */
export function studyCase(
  a: { phase: "SINGLE" | "UNAIDED" | "AIDED"; studyClass: { name: string } | null } | null | undefined,
): StudyCase | null {
  return a && a.phase !== "SINGLE"
    ? { phase: a.phase, className: a.studyClass?.name ?? "the study class" }
    : null;
}
