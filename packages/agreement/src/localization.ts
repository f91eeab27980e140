// How well a saliency map points at a region of interest: the pointing game (Zhang et al.: is the map's
// maximum inside the ROI?) and its energy-based form (share of the map's mass inside the ROI, Wang et al.
// Score-CAM). The ROI's share of the image is what a map pointing at random would score.
// Here (pure, no tfjs) so the web app, the inference service and the ML CLI score maps the same way.

/** One channel, row-major: a map in [0, 1] or a mask (> 0.5 inside). */
export interface GreyPlane {
  width: number;
  height: number;
  data: ArrayLike<number>;
}

export interface LocalizationScore {
  /** some pixel holding the map's maximum lies inside the ROI (or within the tolerance of it) */
  hit: boolean;
  /** sum of the map inside the ROI / sum of the map (0 for an all-zero map) */
  energy: number;
  /** the ROI's area share: the chance level of both scores */
  baseline: number;
}

/** Nearest-neighbour resize of a binary mask (keeps it binary). */
export function resizeMask(
  mask: GreyPlane,
  width: number,
  height: number,
): { width: number; height: number; data: Float32Array } {
  if (mask.width === width && mask.height === height && mask.data instanceof Float32Array)
    return { width, height, data: mask.data };
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(mask.height - 1, Math.floor(((y + 0.5) * mask.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(mask.width - 1, Math.floor(((x + 0.5) * mask.width) / width));
      out[y * width + x] = (mask.data[sy * mask.width + sx] ?? 0) > 0.5 ? 1 : 0;
    }
  }
  return { width, height, data: out };
}

/**
 * True when some ROI pixel's centre lies within `radius` of (x, y), distances measured in units where one map
 * pixel is `px` wide and `py` high (1 x 1: map pixels; the image's pixels per map pixel: image pixels).
 */
function nearRoi(mask: GreyPlane, x: number, y: number, radius: number, px: number, py: number): boolean {
  const rx = Math.floor(radius / px);
  const ry = Math.floor(radius / py);
  for (let dy = -ry; dy <= ry; dy++) {
    for (let dx = -rx; dx <= rx; dx++) {
      const [xx, yy] = [x + dx, y + dy];
      if ((dx * px) ** 2 + (dy * py) ** 2 > radius * radius) continue;
      if (xx < 0 || yy < 0 || xx >= mask.width || yy >= mask.height) continue;
      if ((mask.data[yy * mask.width + xx] ?? 0) > 0.5) return true;
    }
  }
  return false;
}

/**
 * Scores a map against a ROI (resized to the map). `tolerance` is the pointing game's allowance (Zhang et al.
 * used 15 px); 0 demands the maximum inside the ROI itself. It is in map pixels unless `pixelSize` says how
 * many of the tolerance's units one map pixel spans (e.g. the image's pixels per map pixel on each axis).
 */
export function scoreLocalization(
  map: GreyPlane,
  roi: GreyPlane,
  tolerance = 0,
  pixelSize: { x: number; y: number } = { x: 1, y: 1 },
): LocalizationScore {
  const mask = resizeMask(roi, map.width, map.height);
  let max = -Infinity;
  let total = 0;
  let inside = 0;
  let area = 0;
  let varies = false;
  for (let i = 0; i < map.data.length; i++) {
    const v = map.data[i] ?? 0;
    if (i > 0 && v !== map.data[0]) varies = true;
    max = Math.max(max, v);
    total += Math.max(0, v);
    if ((mask.data[i] ?? 0) > 0.5) {
      area++;
      inside += Math.max(0, v);
    }
  }
  if (area === 0) throw new Error("the region of interest is empty");
  // a map with no positive value, or the same value everywhere, points nowhere: a miss (else it would "hit" every ROI)
  const points = max > 0 && varies;
  let hit = false;
  for (let i = 0; i < map.data.length && points && !hit; i++) {
    if ((map.data[i] ?? 0) === max)
      hit = nearRoi(mask, i % map.width, Math.floor(i / map.width), tolerance, pixelSize.x, pixelSize.y);
  }
  return { hit, energy: total > 0 ? inside / total : 0, baseline: area / map.data.length };
}

export interface LocalizationSummary {
  n: number;
  /** share of hits, strict (the maximum inside the ROI) */
  pointing_game: number;
  /** share of hits with a tolerance (Zhang et al.'s 15 px), when scored */
  pointing_game_tolerant: number | null;
  energy_pointing_game: number;
  baseline: number;
}

/** Summarises strict scores, and optionally the same images scored with a tolerance. */
export function summarizeLocalization(
  scores: readonly LocalizationScore[],
  tolerant?: readonly LocalizationScore[],
): LocalizationSummary {
  const n = scores.length;
  const mean = (list: readonly LocalizationScore[], f: (s: LocalizationScore) => number) =>
    list.length === 0 ? 0 : list.reduce((a, s) => a + f(s), 0) / list.length;
  return {
    n,
    pointing_game: mean(scores, (s) => (s.hit ? 1 : 0)),
    pointing_game_tolerant: tolerant ? mean(tolerant, (s) => (s.hit ? 1 : 0)) : null,
    energy_pointing_game: mean(scores, (s) => s.energy),
    baseline: mean(scores, (s) => s.baseline),
  };
}
