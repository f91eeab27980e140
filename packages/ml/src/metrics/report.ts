// Everything evaluate reports for a set of predictions: confusion matrix, per-class figures, accuracy, ROC AUC
// (one-vs-rest, macro), Cohen's kappa, ECE, and 95% bootstrap intervals.
import { bootstrap, type Interval } from "./bootstrap";
import { expectedCalibrationError } from "./calibration";
import { accuracy, argmax, cohenKappa, confusionMatrix, perClass } from "./confusion";
import { classCurves, reliabilityBins, type PrPoint, type ReliabilityBin, type RocPoint } from "./curves";
import { aucOneVsRest } from "./roc";

export interface ClassReport {
  precision: number;
  recall: number;
  sensitivity: number;
  specificity: number;
  f1: number;
  support: number;
  auc: number | null;
}

export interface MetricsReport {
  classes: string[];
  n: number;
  confusion_matrix: number[][];
  accuracy: number;
  per_class: Record<string, ClassReport>;
  macro_f1: number;
  auc_ovr_macro: number | null;
  kappa: number;
  ece: number;
  ci95: Record<string, Interval | null>;
  /** one-vs-rest curves per class, for plotting */
  roc: Record<string, RocPoint[]>;
  pr: Record<string, PrPoint[]>;
  /** the bins the ECE is computed over */
  reliability: ReliabilityBin[];
}

export interface MetricsOptions {
  bootstrapIterations?: number;
  seed?: number;
  /** patient id per example: the bootstrap resamples patients */
  groups?: readonly string[];
  eceBins?: number;
}

function pointMetrics(probs: readonly (readonly number[])[], yTrue: readonly number[], k: number) {
  const cm = confusionMatrix(yTrue, probs.map(argmax), k);
  const figures = perClass(cm);
  const auc = aucOneVsRest(probs, yTrue, k);
  return {
    cm,
    figures,
    auc,
    accuracy: accuracy(cm),
    kappa: cohenKappa(cm),
    macroF1: figures.reduce((a, f) => a + f.f1, 0) / k,
  };
}

export function computeMetrics(
  probs: readonly (readonly number[])[],
  yTrue: readonly number[],
  classes: readonly string[],
  options: MetricsOptions = {},
): MetricsReport {
  const k = classes.length;
  if (probs.length !== yTrue.length) throw new Error("probs and labels differ in length");
  const m = pointMetrics(probs, yTrue, k);
  const ci95 = bootstrap(
    yTrue.length,
    (idx) => {
      const p = idx.map((i) => probs[i] as readonly number[]);
      const y = idx.map((i) => yTrue[i] as number);
      const r = pointMetrics(p, y, k);
      const values: Record<string, number | null> = {
        accuracy: r.accuracy,
        kappa: r.kappa,
        macro_f1: r.macroF1,
        auc_ovr_macro: r.auc.macro,
      };
      classes.forEach((name, c) => {
        const f = r.figures[c];
        // a resample without the class says nothing about its sensitivity
        values[`${name}.sensitivity`] = f && f.support > 0 ? f.recall : null;
        values[`${name}.specificity`] = f && y.length - f.support > 0 ? f.specificity : null;
        values[`${name}.precision`] = f && f.support > 0 ? f.precision : null;
        values[`${name}.f1`] = f && f.support > 0 ? f.f1 : null;
        values[`${name}.auc`] = r.auc.perClass[c] ?? null;
      });
      return values;
    },
    {
      iterations: options.bootstrapIterations ?? 1000,
      seed: options.seed ?? 42,
      ...(options.groups ? { groups: options.groups } : {}),
    },
  );
  const per_class: Record<string, ClassReport> = {};
  classes.forEach((name, c) => {
    const f = m.figures[c] ?? { precision: 0, recall: 0, specificity: 0, f1: 0, support: 0 };
    per_class[name] = { ...f, sensitivity: f.recall, auc: m.auc.perClass[c] ?? null };
  });
  return {
    classes: [...classes],
    n: yTrue.length,
    confusion_matrix: m.cm,
    accuracy: m.accuracy,
    per_class,
    macro_f1: m.macroF1,
    auc_ovr_macro: m.auc.macro,
    kappa: m.kappa,
    ece: expectedCalibrationError(probs, yTrue, options.eceBins ?? 15),
    ci95,
    ...classCurves(probs, yTrue, classes),
    reliability: reliabilityBins(probs, yTrue, options.eceBins ?? 15),
  };
}
