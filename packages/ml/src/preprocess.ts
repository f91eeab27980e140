// The report's preprocessing: grayscale (done at decode), resize to the model's input (bilinear, half-pixel
// centres like cv2.resize), scale to [0, 1], replicate to 3 channels where the backbone wants them.
import * as tf from "@tensorflow/tfjs";
import { type GrayImage } from "./image/gray-image";

export interface InputSpec {
  inputSize: [number, number];
  channels: 1 | 3;
}

/** Resizes one grayscale image to [h, w] floats in [0, 1] (no channel axis). */
export function resizeGray(image: GrayImage, [h, w]: [number, number]): Float32Array {
  if (image.width === w && image.height === h) return image.data.slice();
  return tf.tidy(() => {
    const t = tf.tensor3d(image.data, [image.height, image.width, 1]);
    return tf.image.resizeBilinear(t, [h, w], false, true).clipByValue(0, 1).dataSync() as Float32Array;
  });
}

/** Stacks resized images into a model batch [n, h, w, channels]. */
export function toBatch(resized: readonly Float32Array[], spec: InputSpec): tf.Tensor4D {
  const [h, w] = spec.inputSize;
  return tf.tidy(() => {
    const flat = new Float32Array(resized.length * h * w);
    resized.forEach((r, i) => flat.set(r, i * h * w));
    const gray = tf.tensor4d(flat, [resized.length, h, w, 1]);
    return spec.channels === 3 ? tf.tile(gray, [1, 1, 1, 3]) : gray;
  });
}

/** Decoded images straight to a model batch. */
export function preprocess(images: readonly GrayImage[], spec: InputSpec): tf.Tensor4D {
  return toBatch(
    images.map((im) => resizeGray(im, spec.inputSize)),
    spec,
  );
}
