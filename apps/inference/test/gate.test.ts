import { describe, expect, it } from "vitest";
import type { EvaluationMetrics } from "../src/engine/types";
import { applyGate, promotionGateSchema } from "../src/evaluation/gate";

function metrics(covidRecall: number, macroF1: number, ece: number, accuracy = 0.9): EvaluationMetrics {
  const pc = (recall: number) => ({ precision: 0.9, recall, specificity: 0.9, f1: 0.9 });
  return {
    classes: ["normal", "covid-19"],
    count: 100,
    accuracy,
    macroF1,
    ece,
    aucOvrMacro: null,
    kappa: null,
    perClass: { normal: pc(0.9), "covid-19": pc(covidRecall) },
    confusionMatrix: [],
  };
}

const gate = promotionGateSchema.parse({});

describe("promotion gate", () => {
  it("passes a candidate that is not worse on any check (equal counts as not worse)", () => {
    expect(applyGate(gate, metrics(0.9, 0.8, 0.05), metrics(0.9, 0.8, 0.05)).passed).toBe(true);
    expect(applyGate(gate, metrics(0.95, 0.85, 0.04), metrics(0.9, 0.8, 0.05)).passed).toBe(true);
  });

  it("fails on lower COVID-19 sensitivity, lower macro F1 or worse calibration, naming the check", () => {
    const champion = metrics(0.9, 0.8, 0.05);
    const failed = (candidate: EvaluationMetrics) =>
      applyGate(gate, candidate, champion)
        .checks.filter((c) => !c.passed)
        .map((c) => c.name);
    expect(failed(metrics(0.89, 0.9, 0.01))).toEqual(["sensitivity:covid-19"]);
    expect(failed(metrics(0.95, 0.79, 0.01))).toEqual(["macroF1"]);
    expect(failed(metrics(0.95, 0.9, 0.051))).toEqual(["ece"]);
  });

  it("honours configured tolerances and another critical class", () => {
    const lenient = promotionGateSchema.parse({
      maxSensitivityDrop: 0.02,
      maxMacroF1Drop: 0.01,
      maxEceIncrease: 0.01,
    });
    expect(applyGate(lenient, metrics(0.88, 0.79, 0.06), metrics(0.9, 0.8, 0.05)).passed).toBe(true);
    expect(applyGate(lenient, metrics(0.87, 0.79, 0.06), metrics(0.9, 0.8, 0.05)).passed).toBe(false);
    const normalFirst = promotionGateSchema.parse({ criticalClass: "normal" });
    expect(applyGate(normalFirst, metrics(0.1, 0.8, 0.05), metrics(0.9, 0.8, 0.05)).passed).toBe(true);
  });

  it("without a champion, needs only the minimum accuracy", () => {
    expect(applyGate(gate, metrics(0.1, 0.1, 0.5, 0.2), null).passed).toBe(true);
    expect(
      applyGate(promotionGateSchema.parse({ minAccuracy: 0.5 }), metrics(0.1, 0.1, 0.5, 0.2), null).passed,
    ).toBe(false);
  });
});
