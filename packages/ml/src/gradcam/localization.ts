// How well a saliency map points at a region of interest: the pointing game (Zhang et al.: is the map's
// maximum inside the ROI?) and its energy-based form (share of the map's mass inside the ROI, Wang et al.
// Score-CAM). The ROI's share of the image is what a map pointing at random would score.
import { type GrayImage } from "../image/gray-image";
import { resizeMask } from "./resize";

export interface LocalizationScore {
  /** some pixel holding the map's maximum lies inside the ROI (or within the tolerance of it) */
  hit: boolean;
  /** sum of the map inside the ROI / sum of the map (0 for an all-zero map) */
  energy: number;
  /** the ROI's area share: the chance level of both scores */
  baseline: number;
}

/** True when some ROI pixel lies within `radius` pixels of (x, y). */
function nearRoi(mask: GrayImage, x: number, y: number, radius: number): boolean {
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const [xx, yy] = [x + dx, y + dy];
      if (dx * dx + dy * dy > radius * radius || xx < 0 || yy < 0 || xx >= mask.width || yy >= mask.height)
        continue;
      if ((mask.data[yy * mask.width + xx] ?? 0) > 0.5) return true;
    }
  }
  return false;
}

/**
 * Scores a map against a ROI (resized to the map). `tolerance` (pixels of the map) is the pointing game's
 * original allowance (Zhang et al. used 15 px); 0 demands the maximum inside the ROI itself.
 */
export function scoreLocalization(map: GrayImage, roi: GrayImage, tolerance = 0): LocalizationScore {
  const mask = resizeMask(roi, map.width, map.height);
  let max = -Infinity;
  let total = 0;
  let inside = 0;
  let area = 0;
  for (let i = 0; i < map.data.length; i++) {
    const v = map.data[i] ?? 0;
    max = Math.max(max, v);
    total += Math.max(0, v);
    if ((mask.data[i] ?? 0) > 0.5) {
      area++;
      inside += Math.max(0, v);
    }
  }
  if (area === 0) throw new Error("the region of interest is empty");
  // a map with no positive value, or the same value everywhere, points nowhere: a miss (else it would "hit" every ROI)
  const points = max > 0 && map.data.some((v) => v !== max);
  let hit = false;
  for (let i = 0; i < map.data.length && points && !hit; i++) {
    if ((map.data[i] ?? 0) === max) hit = nearRoi(mask, i % map.width, Math.floor(i / map.width), tolerance);
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
