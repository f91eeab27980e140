// The campaign's consensus rule over one image's reads, as a pure function: the label the reads settle on, or
// the reason the image goes to an adjudicator. ROI agreement is given as the smallest pairwise IoU (computed by
// the caller from the reads' masks), so the rule stays free of rasterising.
import { type ConsensusRule } from "@cxr/db";

export interface RuleRead {
  classId: string;
  secondOpinion: boolean;
}

export type RuleOutcome =
  | {
      kind: "consensus";
      method: "SINGLE_READER" | "MAJORITY" | "UNANIMOUS";
      classId: string;
      /** share of the reads that gave this label */
      agreement: number;
      rationale: string;
    }
  | { kind: "adjudication"; reason: "DISAGREEMENT" | "SECOND_OPINION" | "RULE"; rationale: string };

/** The most frequent label and its count (ties: null label, so no strict majority). */
export function topLabel(classIds: readonly string[]): { classId: string | null; count: number } {
  const counts = new Map<string, number>();
  for (const id of classIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  let best: string | null = null;
  let count = 0;
  for (const [id, c] of counts) {
    if (c > count) [best, count] = [id, c];
    else if (c === count) best = null;
  }
  return { classId: best, count };
}

export function applyConsensusRule(
  rule: ConsensusRule,
  reads: readonly RuleRead[],
  /** the smallest IoU between two reads' ROIs (null: no pair of reads drew any) */
  minIou: number | null,
  iouThreshold: number,
): RuleOutcome {
  if (reads.length === 0) throw new Error("a consensus needs at least one read");
  if (reads.some((r) => r.secondOpinion))
    return {
      kind: "adjudication",
      reason: "SECOND_OPINION",
      rationale: "A reader asked for a second opinion.",
    };
  const n = reads.length;
  const { classId, count } = topLabel(reads.map((r) => r.classId));
  if (n === 1)
    return {
      kind: "consensus",
      method: "SINGLE_READER",
      classId: classId!,
      agreement: 1,
      rationale: "One read.",
    };
  if (rule === "ADJUDICATOR")
    return {
      kind: "adjudication",
      reason: "RULE",
      rationale: "The campaign's rule: an adjudicator decides.",
    };
  const roisDisagree = minIou !== null && minIou < iouThreshold;
  const roiNote = roisDisagree ? ` ROIs overlap IoU ${minIou.toFixed(2)} < ${iouThreshold}.` : "";
  if (count === n && !roisDisagree)
    return {
      kind: "consensus",
      method: "UNANIMOUS",
      classId: classId!,
      agreement: 1,
      rationale: `${n} of ${n} reads agree.`,
    };
  if (rule === "MAJORITY" && classId && count * 2 > n && !roisDisagree)
    return {
      kind: "consensus",
      method: "MAJORITY",
      classId,
      agreement: count / n,
      rationale: `${count} of ${n} reads agree.`,
    };
  return {
    kind: "adjudication",
    reason: "DISAGREEMENT",
    rationale:
      count === n
        ? `The labels agree but the ROIs do not.${roiNote}`
        : `The reads disagree on the label.${roiNote}`,
  };
}
