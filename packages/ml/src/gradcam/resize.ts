// Resizing maps and masks between model input, feature and image resolutions.
import * as tf from "@tensorflow/tfjs";
import { type GrayImage } from "../image/gray-image";

/** Bilinear resize of a float map (half-pixel centres), values clipped to [0, 1]. */
export function resizeMap(map: GrayImage, width: number, height: number): GrayImage {
  if (map.width === width && map.height === height) return map;
  const data = tf.tidy(
    () =>
      tf.image
        .resizeBilinear(tf.tensor3d(map.data, [map.height, map.width, 1]), [height, width], false, true)
        .clipByValue(0, 1)
        .dataSync() as Float32Array,
  );
  return { width, height, data };
}

// the binary mask's nearest-neighbour resize is shared with the pointing game
export { resizeMask } from "@cxr/agreement";
