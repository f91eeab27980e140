// A reader against a reference (the consensus, or the model's predicted class): per class, that class as the
// positive and every other as negative.
import { cohenKappa, cohenKappaForClass, type CohenResult } from "./kappa";

export interface BinaryAgreement {
  label: string;
  /** true positives, false negatives, false positives, true negatives */
  tp: number;
  fn: number;
  fp: number;
  tn: number;
  /** TP / (TP + FN); NaN when the reference has no positive */
  sensitivity: number;
  /** TN / (TN + FP); NaN when the reference has no negative */
  specificity: number;
  kappa: number;
}

export interface ReferenceAgreement {
  n: number;
  /** share of subjects where the reader gave the reference's label */
  accuracy: number;
  /** Cohen's kappa over all classes */
  kappa: CohenResult;
  perClass: BinaryAgreement[];
}

/** `reader[i]` and `reference[i]` are the labels of subject i; `labels` are the classes to report. */
export function againstReference(
  reader: readonly string[],
  reference: readonly string[],
  labels: readonly string[],
): ReferenceAgreement {
  const kappa = cohenKappa(reader, reference);
  const perClass = labels.map((label) => {
    let tp = 0;
    let fn = 0;
    let fp = 0;
    let tn = 0;
    reader.forEach((r, i) => {
      const truth = reference[i] === label;
      const said = r === label;
      if (truth && said) tp++;
      else if (truth) fn++;
      else if (said) fp++;
      else tn++;
    });
    return {
      label,
      tp,
      fn,
      fp,
      tn,
      sensitivity: tp / (tp + fn),
      specificity: tn / (tn + fp),
      kappa: cohenKappaForClass(reader, reference, label).kappa,
    };
  });
  return { n: reader.length, accuracy: kappa.po, kappa, perClass };
}
