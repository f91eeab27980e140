// Confusion matrix and the per-class figures derived from it (rows: true class, columns: predicted class).

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++)
    if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i;
  return best;
}

export function confusionMatrix(
  yTrue: readonly number[],
  yPred: readonly number[],
  classes: number,
): number[][] {
  if (yTrue.length !== yPred.length) throw new Error("yTrue and yPred differ in length");
  const cm = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  yTrue.forEach((t, i) => {
    const p = yPred[i] as number;
    const row = cm[t];
    if (!row || p < 0 || p >= classes) throw new Error(`class index out of range at ${i}`);
    row[p] = (row[p] ?? 0) + 1;
  });
  return cm;
}

export interface ClassFigures {
  precision: number;
  /** sensitivity */
  recall: number;
  specificity: number;
  f1: number;
  support: number;
}

/** 0 where the denominator is 0 (as scikit-learn's zero_division default). */
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function perClass(cm: readonly number[][]): ClassFigures[] {
  const total = cm.reduce((a, row) => a + row.reduce((s, v) => s + v, 0), 0);
  return cm.map((row, k) => {
    const tp = row[k] ?? 0;
    const fn = row.reduce((s, v) => s + v, 0) - tp;
    const fp = cm.reduce((s, r) => s + (r[k] ?? 0), 0) - tp;
    const tn = total - tp - fn - fp;
    const precision = ratio(tp, tp + fp);
    const recall = ratio(tp, tp + fn);
    return {
      precision,
      recall,
      specificity: ratio(tn, tn + fp),
      f1: ratio(2 * precision * recall, precision + recall),
      support: tp + fn,
    };
  });
}

export function accuracy(cm: readonly number[][]): number {
  const total = cm.reduce((a, row) => a + row.reduce((s, v) => s + v, 0), 0);
  return ratio(
    cm.reduce((a, row, k) => a + (row[k] ?? 0), 0),
    total,
  );
}

/** Cohen's kappa: agreement beyond chance, (p_o - p_e) / (1 - p_e); 0 when p_e = 1. */
export function cohenKappa(cm: readonly number[][]): number {
  const total = cm.reduce((a, row) => a + row.reduce((s, v) => s + v, 0), 0);
  if (total === 0) return 0;
  const po = accuracy(cm);
  let pe = 0;
  cm.forEach((row, k) => {
    const rowSum = row.reduce((s, v) => s + v, 0);
    const colSum = cm.reduce((s, r) => s + (r[k] ?? 0), 0);
    pe += (rowSum * colSum) / (total * total);
  });
  return pe === 1 ? 0 : (po - pe) / (1 - pe);
}
