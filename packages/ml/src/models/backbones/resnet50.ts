// ResNet50 (v1) without its top, following Keras' applications/resnet.py block by block and name by name.
import * as tf from "@tensorflow/tfjs";

type T = tf.SymbolicTensor;
const bnEpsilon = 1.001e-5;

function conv(
  x: T,
  filters: number,
  kernelSize: number,
  strides: number,
  name: string,
  padding: "same" | "valid" = "valid",
): T {
  return tf.layers.conv2d({ filters, kernelSize, strides, padding, name }).apply(x) as T;
}

function bn(x: T, name: string): T {
  return tf.layers.batchNormalization({ axis: 3, epsilon: bnEpsilon, name }).apply(x) as T;
}

function relu(x: T, name: string): T {
  return tf.layers.activation({ activation: "relu", name }).apply(x) as T;
}

function block(x: T, filters: number, stride: number, convShortcut: boolean, name: string): T {
  const shortcut = convShortcut ? bn(conv(x, 4 * filters, 1, stride, `${name}_0_conv`), `${name}_0_bn`) : x;
  let y = relu(bn(conv(x, filters, 1, stride, `${name}_1_conv`), `${name}_1_bn`), `${name}_1_relu`);
  y = relu(bn(conv(y, filters, 3, 1, `${name}_2_conv`, "same"), `${name}_2_bn`), `${name}_2_relu`);
  y = bn(conv(y, 4 * filters, 1, 1, `${name}_3_conv`), `${name}_3_bn`);
  const sum = tf.layers.add({ name: `${name}_add` }).apply([shortcut, y]) as T;
  return relu(sum, `${name}_out`);
}

function stack(x: T, filters: number, blocks: number, stride: number, name: string): T {
  let y = block(x, filters, stride, true, `${name}_block1`);
  for (let i = 2; i <= blocks; i++) y = block(y, filters, 1, false, `${name}_block${i}`);
  return y;
}

export function resnet50(input: T): T {
  let x = tf.layers.zeroPadding2d({ padding: 3, name: "conv1_pad" }).apply(input) as T;
  x = conv(x, 64, 7, 2, "conv1_conv");
  x = relu(bn(x, "conv1_bn"), "conv1_relu");
  x = tf.layers.zeroPadding2d({ padding: 1, name: "pool1_pad" }).apply(x) as T;
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: "pool1_pool" }).apply(x) as T;
  x = stack(x, 64, 3, 1, "conv2");
  x = stack(x, 128, 4, 2, "conv3");
  x = stack(x, 256, 6, 2, "conv4");
  return stack(x, 512, 3, 2, "conv5");
}
