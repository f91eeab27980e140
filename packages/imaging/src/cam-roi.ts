// A stored Grad-CAM map against a reader's ROIs: the pointing game (strict and with Zhang et al.'s 15 px) and the
// share of the map's energy inside the ROIs. The ROIs are rasterised at the map's resolution (the map covers
// the whole image, so normalised coordinates carry over); the tolerance is in the image's pixels, converted
// per axis with the image's pixels per map pixel.
import { scoreLocalization, type GreyPlane } from "@cxr/agreement";
import { type StoredRoi } from "@cxr/domain";
import { decodeMasterPng } from "./derivatives";
import { rasterizeRois } from "./roi-mask";

/** Zhang et al.'s pointing-game allowance, in the image's pixels. */
export const pointingTolerancePx = 15;

export interface CamRoiFigures {
  /** the map's maximum lies inside an ROI */
  pointingStrict: boolean;
  /** the maximum lies within 15 image pixels of an ROI */
  pointingTolerant: boolean;
  /** share of the map's energy inside the ROIs, 0..1 */
  energyInside: number;
}

/**
 * Scores a map (values in [0, 1]) against a mask at the map's size (> 127 inside, as `rasterizeRois` draws it).
 * Null when the mask is empty: ROIs smaller than half a map pixel cannot be scored.
 */
export function scoreCamPlane(
  map: GreyPlane,
  mask: GreyPlane,
  image: { width: number; height: number },
): CamRoiFigures | null {
  const inside = Float32Array.from(mask.data as ArrayLike<number>, (v) => (v > 127 ? 1 : 0));
  if (!inside.includes(1)) return null;
  const plane = { width: mask.width, height: mask.height, data: inside };
  const pixel = { x: image.width / map.width, y: image.height / map.height };
  const strict = scoreLocalization(map, plane);
  const tolerant = scoreLocalization(map, plane, pointingTolerancePx, pixel);
  return { pointingStrict: strict.hit, pointingTolerant: tolerant.hit, energyInside: strict.energy };
}

/** A stored map (16-bit grey PNG, as the inference service writes it) against ROIs drawn on an image of this size. */
export async function scoreCamAgainstRois(
  mapPng: Uint8Array,
  rois: readonly StoredRoi[],
  image: { width: number; height: number },
): Promise<CamRoiFigures | null> {
  const grey = await decodeMasterPng(mapPng);
  const map = {
    width: grey.width,
    height: grey.height,
    data: Float32Array.from(grey.data, (v) => v / 65535),
  };
  const mask = await rasterizeRois(rois, map.width, map.height);
  return scoreCamPlane(map, mask, image);
}
