// ROC AUC as the Mann-Whitney statistic: the probability that a random positive scores above a random
// negative, ties counting half (equal to the trapezoidal area under the ROC curve).

/** AUC of scores for a binary labelling; null when either side is empty (undefined). */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number | null {
  const order = scores.map((s, i) => i).sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0));
  // average ranks (1-based) over ties
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    const rank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks[order[t] as number] = rank;
    i = j + 1;
  }
  let nPos = 0;
  let rankSum = 0;
  positive.forEach((p, i) => {
    if (p) {
      nPos++;
      rankSum += ranks[i] ?? 0;
    }
  });
  const nNeg = positive.length - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** One-vs-rest AUC per class and their unweighted mean over the classes where it is defined. */
export function aucOneVsRest(
  probs: readonly (readonly number[])[],
  yTrue: readonly number[],
  classes: number,
) {
  const perClass = Array.from({ length: classes }, (_, k) =>
    rocAuc(
      probs.map((p) => p[k] ?? 0),
      yTrue.map((y) => y === k),
    ),
  );
  const defined = perClass.filter((a): a is number => a !== null);
  return {
    perClass,
    macro: defined.length === 0 ? null : defined.reduce((a, b) => a + b, 0) / defined.length,
  };
}
