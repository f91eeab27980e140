// VGG16 without its top (Simonyan & Zisserman), layer names as Keras' applications so converted weights load.
import * as tf from "@tensorflow/tfjs";

export function vgg16(input: tf.SymbolicTensor): tf.SymbolicTensor {
  const blocks: [number, number][] = [
    [64, 2],
    [128, 2],
    [256, 3],
    [512, 3],
    [512, 3],
  ];
  let x = input;
  blocks.forEach(([filters, convs], b) => {
    for (let c = 1; c <= convs; c++) {
      x = tf.layers
        .conv2d({
          filters,
          kernelSize: 3,
          padding: "same",
          activation: "relu",
          name: `block${b + 1}_conv${c}`,
        })
        .apply(x) as tf.SymbolicTensor;
    }
    x = tf.layers
      .maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` })
      .apply(x) as tf.SymbolicTensor;
  });
  return x;
}
