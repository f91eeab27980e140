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

/** Nearest-neighbour resize of a binary mask (keeps it binary). */
export function resizeMask(mask: GrayImage, width: number, height: number): GrayImage {
  if (mask.width === width && mask.height === height) return mask;
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
