// The promotion gate: a candidate replaces the champion automatically only when it is not worse where it
// matters (sensitivity on the critical class, macro F1, calibration), all measured on the locked test split.
import { z } from "zod";
import type { EvaluationMetrics } from "../engine/types";

export const promotionGateSchema = z.object({
  /** the class whose sensitivity must not drop (missed COVID-19 is the costly error) */
  criticalClass: z.string().min(1).default("covid-19"),
  /** allowed drop of that class's sensitivity, in absolute terms (0 = not lower) */
  maxSensitivityDrop: z.number().min(0).max(1).default(0),
  maxMacroF1Drop: z.number().min(0).max(1).default(0),
  /** allowed rise of the expected calibration error (0 = not worse) */
  maxEceIncrease: z.number().min(0).max(1).default(0),
  /** with no champion yet, a candidate needs at least this accuracy */
  minAccuracy: z.number().min(0).max(1).default(0),
});
export type PromotionGate = z.infer<typeof promotionGateSchema>;

export interface GateCheck {
  name: string;
  candidate: number | null;
  champion: number | null;
  passed: boolean;
}

export interface GateResult {
  passed: boolean;
  checks: GateCheck[];
}

// a tiny tolerance: the same model evaluated twice may differ in the last float bits
const EPS = 1e-9;

export function applyGate(
  gate: PromotionGate,
  candidate: EvaluationMetrics,
  champion: EvaluationMetrics | null,
): GateResult {
  if (!champion) {
    const check = {
      name: "accuracy",
      candidate: candidate.accuracy,
      champion: null,
      passed: candidate.accuracy + EPS >= gate.minAccuracy,
    };
    return { passed: check.passed, checks: [check] };
  }
  const sensitivity = (m: EvaluationMetrics) => m.perClass[gate.criticalClass]?.recall ?? null;
  const candSens = sensitivity(candidate);
  const champSens = sensitivity(champion);
  const checks: GateCheck[] = [
    {
      name: `sensitivity:${gate.criticalClass}`,
      candidate: candSens,
      champion: champSens,
      // a label set without that class has nothing to protect
      passed:
        candSens === null || champSens === null || candSens + gate.maxSensitivityDrop + EPS >= champSens,
    },
    {
      name: "macroF1",
      candidate: candidate.macroF1,
      champion: champion.macroF1,
      passed: candidate.macroF1 + gate.maxMacroF1Drop + EPS >= champion.macroF1,
    },
    {
      name: "ece",
      candidate: candidate.ece,
      champion: champion.ece,
      passed: candidate.ece <= champion.ece + gate.maxEceIncrease + EPS,
    },
  ];
  return { passed: checks.every((c) => c.passed), checks };
}
