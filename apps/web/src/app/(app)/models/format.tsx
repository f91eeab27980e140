// How the Models pages write a figure, a status and a verdict.
import { StatusPill, type StatusTone } from "@cxr/ui";

export interface FigureValue {
  value: number | null;
  lower: number | null;
  upper: number | null;
}

export const fmt = (x: number | null | undefined, digits = 3) =>
  x === null || x === undefined ? "—" : x.toFixed(digits);

/** A figure with its 95% bootstrap interval when there is one. */
export function Figure({ f }: { f: FigureValue }) {
  if (f.value === null) return <span>—</span>;
  return (
    <span>
      {fmt(f.value)}
      {f.lower !== null && f.upper !== null && (
        <span className="models-ci">
          {" "}
          ({fmt(f.lower, 2)}–{fmt(f.upper, 2)})
        </span>
      )}
    </span>
  );
}

const statusTone: Record<string, StatusTone> = {
  CHAMPION: "ok",
  CANDIDATE: "warn",
  REJECTED: "error",
  RETIRED: "neutral",
};

/** A status as a pill in its tone; `noun` names it for screen readers ("status champion", "run failed"). */
export function StatusOf(props: { status: string; tones: Record<string, StatusTone>; noun: string }) {
  const word = props.status.toLowerCase();
  return (
    <StatusPill tone={props.tones[props.status] ?? "neutral"} label={`${props.noun} ${word}`}>
      {word}
    </StatusPill>
  );
}

export const ModelStatus = ({ status }: { status: string }) => (
  <StatusOf status={status} tones={statusTone} noun="status" />
);

export function GateVerdict({ passed }: { passed: boolean | null }) {
  if (passed === null) return <StatusPill tone="neutral">not measured</StatusPill>;
  return <StatusPill tone={passed ? "ok" : "error"}>{passed ? "gate passed" : "gate failed"}</StatusPill>;
}

export const sourceLabel: Record<string, string> = {
  CONSENSUS: "consensus",
  CORRECTED: "reviewed reads",
  IMPORTED: "imported labels",
};
