// Batch selection for active learning beyond one image's uncertainty. Pure functions over arrays; the campaign
// queue's batch priorities (batch-priority.ts) and the active-learning benchmark build on them.
//  - Diversity: k-center greedy (Sener & Savarese 2018, "core-set"): each pick is the image farthest from
//    everything labelled or picked so far, so a batch is not twenty near-duplicates.
//  - CAM-ROI disagreement: how much of the Grad-CAM mass lies outside the readers' regions (the model looking
//    somewhere other than where readers found the finding: right, perhaps, for the wrong reason).

export const dist2 = (a: readonly number[], b: readonly number[]) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - (b[i] ?? 0)) ** 2;
  return s;
};

/**
 * Indices of `k` points of `embeddings` in the order k-center greedy picks them, never one of `labelled`.
 * Without labelled points the first pick is the point nearest the centroid (a typical image), then each next
 * pick maximises its distance to the nearest centre. Ties go to the lower index.
 */
export function kCenterGreedy(
  embeddings: readonly (readonly number[])[],
  k: number,
  labelled: readonly number[] = [],
): number[] {
  return kCenterPicks(embeddings, k, labelled).map((p) => p.index);
}

/**
 * k-center greedy with each pick's Euclidean distance to the nearest centre when it was picked (the radius it
 * covers; it never grows along the order). The centroid pick of a run without labelled points has none: null.
 */
export function kCenterPicks(
  embeddings: readonly (readonly number[])[],
  k: number,
  labelled: readonly number[] = [],
): { index: number; distance: number | null }[] {
  const n = embeddings.length;
  const nearest = new Array<number>(n).fill(Infinity);
  const taken = new Set<number>(labelled);
  const addCentre = (c: number) => {
    for (let i = 0; i < n; i++) nearest[i] = Math.min(nearest[i]!, dist2(embeddings[i]!, embeddings[c]!));
  };
  for (const c of labelled) addCentre(c);
  const picks: { index: number; distance: number | null }[] = [];
  const want = Math.min(k, n - taken.size);
  if (want > 0 && labelled.length === 0) {
    const dim = embeddings[0]!.length;
    const centroid = Array.from({ length: dim }, (_, d) => embeddings.reduce((s, e) => s + e[d]!, 0) / n);
    let first = 0;
    for (let i = 1; i < n; i++)
      if (dist2(embeddings[i]!, centroid) < dist2(embeddings[first]!, centroid)) first = i;
    picks.push({ index: first, distance: null });
    taken.add(first);
    addCentre(first);
  }
  while (picks.length < want) {
    let best = -1;
    for (let i = 0; i < n; i++) if (!taken.has(i) && (best < 0 || nearest[i]! > nearest[best]!)) best = i;
    picks.push({ index: best, distance: Math.sqrt(nearest[best]!) });
    taken.add(best);
    addCentre(best);
  }
  return picks;
}

/**
 * The share of a Grad-CAM map's mass outside a region mask of the same size (mask value > 0 is inside):
 * 0 when all the heat lies in the readers' regions, 1 when none does; 0 for a map with no heat at all.
 */
export function camOutsideShare(cam: ArrayLike<number>, mask: ArrayLike<number>): number {
  if (cam.length !== mask.length)
    throw new Error(`the map has ${cam.length} values and the mask ${mask.length}`);
  let total = 0;
  let inside = 0;
  for (let i = 0; i < cam.length; i++) {
    const v = Math.max(0, cam[i]!);
    total += v;
    if (mask[i]! > 0) inside += v;
  }
  return total === 0 ? 0 : 1 - inside / total;
}
