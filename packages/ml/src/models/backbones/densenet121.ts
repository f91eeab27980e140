// DenseNet121 without its top (Huang et al.), following Keras' applications/densenet.py name by name.
import * as tf from "@tensorflow/tfjs";

type T = tf.SymbolicTensor;
const bnEpsilon = 1.001e-5;
const growth = 32;

function bn(x: T, name: string): T {
  return tf.layers.batchNormalization({ axis: 3, epsilon: bnEpsilon, name }).apply(x) as T;
}

function relu(x: T, name: string): T {
  return tf.layers.activation({ activation: "relu", name }).apply(x) as T;
}

function conv(
  x: T,
  filters: number,
  kernelSize: number,
  name: string,
  strides = 1,
  padding: "same" | "valid" = "valid",
): T {
  return tf.layers.conv2d({ filters, kernelSize, strides, padding, useBias: false, name }).apply(x) as T;
}

function convBlock(x: T, name: string): T {
  let y = relu(bn(x, `${name}_0_bn`), `${name}_0_relu`);
  y = conv(y, 4 * growth, 1, `${name}_1_conv`);
  y = relu(bn(y, `${name}_1_bn`), `${name}_1_relu`);
  y = conv(y, growth, 3, `${name}_2_conv`, 1, "same");
  return tf.layers.concatenate({ axis: 3, name: `${name}_concat` }).apply([x, y]) as T;
}

function denseBlock(x: T, blocks: number, name: string): T {
  for (let i = 1; i <= blocks; i++) x = convBlock(x, `${name}_block${i}`);
  return x;
}

function transition(x: T, name: string): T {
  const channels = x.shape[3] ?? 0;
  let y = relu(bn(x, `${name}_bn`), `${name}_relu`);
  y = conv(y, Math.floor(channels * 0.5), 1, `${name}_conv`);
  return tf.layers.averagePooling2d({ poolSize: 2, strides: 2, name: `${name}_pool` }).apply(y) as T;
}

export function densenet121(input: T): T {
  let x = tf.layers.zeroPadding2d({ padding: 3, name: "zero_padding2d" }).apply(input) as T;
  x = conv(x, 64, 7, "conv1/conv", 2);
  x = relu(bn(x, "conv1/bn"), "conv1/relu");
  x = tf.layers.zeroPadding2d({ padding: 1, name: "zero_padding2d_1" }).apply(x) as T;
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: "pool1" }).apply(x) as T;
  x = transition(denseBlock(x, 6, "conv2"), "pool2");
  x = transition(denseBlock(x, 12, "conv3"), "pool3");
  x = transition(denseBlock(x, 24, "conv4"), "pool4");
  x = denseBlock(x, 16, "conv5");
  return relu(bn(x, "bn"), "relu");
}
