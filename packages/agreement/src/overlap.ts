// Overlap of two readers' regions, as binary masks of the same size (a value > 0 is inside): intersection over
// union (Jaccard) and Dice. Rasterising the regions is @cxr/imaging's job (rasterizeRois).

export interface Overlap {
  iou: number;
  dice: number;
  /** pixels inside A, inside B, inside both */
  a: number;
  b: number;
  both: number;
}

/** Two empty masks agree completely (IoU and Dice 1): neither reader marked anything. */
export function maskOverlap(a: ArrayLike<number>, b: ArrayLike<number>): Overlap {
  if (a.length !== b.length) throw new Error(`the masks have ${a.length} and ${b.length} pixels`);
  let inA = 0;
  let inB = 0;
  let both = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! > 0;
    const y = b[i]! > 0;
    if (x) inA++;
    if (y) inB++;
    if (x && y) both++;
  }
  const union = inA + inB - both;
  return {
    iou: union === 0 ? 1 : both / union,
    dice: inA + inB === 0 ? 1 : (2 * both) / (inA + inB),
    a: inA,
    b: inB,
    both,
  };
}
