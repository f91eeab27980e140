// The backbone's outputs per decoded image, kept for as long as the image object lives (a WeakMap), so that a
// prediction and the Grad-CAM that follows it on the same images share one backbone pass. The inference service
// predicts a batch and then explains it: without this the backbone ran three times per image (probabilities,
// embeddings for the uncertainty scores, Grad-CAM), which cost VGG16 more than its whole Grad-CAM.
import * as tf from "@tensorflow/tfjs";
import { type GrayImage } from "../image/gray-image";

interface Slice {
  data: Float32Array;
  /** one image's shape (without the batch dimension) */
  shape: number[];
}

export class FeatureMemo {
  /** image -> target layer -> backbone output name -> this image's slice */
  private readonly byImage = new WeakMap<GrayImage, Map<string, Map<string, Slice>>>();
  /** batches served from the memo (for tests and the bench) */
  hits = 0;

  /** Keeps each image's slice of a batch's backbone outputs computed up to `target`. */
  async keep(
    images: readonly GrayImage[],
    target: string,
    outputs: ReadonlyMap<string, tf.Tensor>,
  ): Promise<void> {
    for (const [name, t] of outputs) {
      const data = (await t.data()) as Float32Array;
      const per = data.length / images.length;
      const shape = t.shape.slice(1);
      images.forEach((image, i) => {
        let targets = this.byImage.get(image);
        if (!targets) this.byImage.set(image, (targets = new Map()));
        let slices = targets.get(target);
        if (!slices) targets.set(target, (slices = new Map()));
        slices.set(name, { data: data.slice(i * per, (i + 1) * per), shape });
      });
    }
  }

  /**
   * The batch's backbone outputs up to `target` as tensors (the caller disposes them) where every image has them
   * (with the same outputs), else undefined.
   */
  batch(images: readonly GrayImage[], target: string): Map<string, tf.Tensor> | undefined {
    const per = images.map((image) => this.byImage.get(image)?.get(target));
    const first = per[0];
    if (!first || per.some((slices) => !slices || slices.size !== first.size)) return undefined;
    const out = new Map<string, tf.Tensor>();
    for (const [name, { data, shape }] of first) {
      const all = new Float32Array(data.length * images.length);
      for (const [i, slices] of per.entries()) {
        const slice = slices?.get(name);
        if (!slice || slice.data.length !== data.length) {
          tf.dispose([...out.values()]);
          return undefined;
        }
        all.set(slice.data, i * data.length);
      }
      out.set(name, tf.tensor(all, [images.length, ...shape]));
    }
    this.hits++;
    return out;
  }
}
