// The architectures on offer and what each needs: input size and channels, the Grad-CAM target layer
// (the report's defaults) and whether its head starts with batch normalisation (as the report's did).
import type * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { compact, compactTargetLayer } from "./backbones/compact";
import { densenet121 } from "./backbones/densenet121";
import { resnet50 } from "./backbones/resnet50";
import { vgg16 } from "./backbones/vgg16";

export const archSchema = z.enum(["compact", "vgg16", "densenet121", "resnet50"]);
export type Arch = z.infer<typeof archSchema>;

export interface ArchSpec {
  inputSize: number;
  channels: 1 | 3;
  targetLayer: string;
  headBatchNorm: boolean;
  /** average-pooling window of the head; "global" = the whole feature map */
  headPool: number | "global";
  headPoolType: "avg" | "max";
  /** frozen backbone + head training on cached embeddings, or everything trainable */
  defaultMode: "head" | "full";
  backbone: (input: tf.SymbolicTensor, seed?: number) => tf.SymbolicTensor;
}

export const archSpecs: Record<Arch, ArchSpec> = {
  // Global average pooling, as the report's heads: every location's evidence counts, so training also penalises
  // activation away from the lesions and Grad-CAM points into them (a max-pooled head learned faster but left
  // its maps free to light up anywhere below the maximum: COVID-19 pointing game 0.02). Batch-normalisation
  // statistics are recomputed over the training set after training (train/batch-norm-statistics.ts): with
  // batch 8 the moving averages alone cost an average-pooled model up to a quarter of its accuracy.
  compact: {
    inputSize: 224,
    channels: 1,
    targetLayer: compactTargetLayer,
    headBatchNorm: false,
    headPool: "global",
    headPoolType: "avg",
    defaultMode: "full",
    backbone: compact,
  },
  // The report pooled its 7x7 features 4x4 (valid), which reads only the top-left 4x4 window; a 7x7 window has
  // the same output shape and parameter count and sees the whole image. headPool 4 reproduces the report.
  vgg16: {
    inputSize: 224,
    channels: 3,
    targetLayer: "block5_conv3",
    headBatchNorm: false,
    headPool: "global",
    headPoolType: "avg",
    defaultMode: "head",
    backbone: vgg16,
  },
  densenet121: {
    inputSize: 224,
    channels: 3,
    targetLayer: "conv5_block16_2_conv",
    headBatchNorm: true,
    headPool: "global",
    headPoolType: "avg",
    defaultMode: "head",
    backbone: densenet121,
  },
  resnet50: {
    inputSize: 224,
    channels: 3,
    targetLayer: "conv5_block3_3_conv",
    headBatchNorm: true,
    headPool: "global",
    headPoolType: "avg",
    defaultMode: "head",
    backbone: resnet50,
  },
};
