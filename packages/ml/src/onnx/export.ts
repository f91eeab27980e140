// Exports a Layers model's frozen backbone, up to a target layer, to an ONNX graph in memory, from the model itself
// (its current weights). ONNX convolutions are NCHW: the NHWC input is transposed once at the start, and each
// output back at the end. Batch normalisation stays a BatchNormalization node (ONNX Runtime folds it into the
// convolution before it when it optimises the graph), so the export is a literal translation, layer by layer.
import type * as tf from "@tensorflow/tfjs";
import onnxProto, { type onnx as types } from "onnx-proto";

// a CommonJS module: its named export is reachable only through the default import under ESM
const { onnx } = onnxProto;
import { layersBetween, nodeOf } from "../models/graph";

export interface BackboneGraph {
  /** the serialised ModelProto */
  bytes: Uint8Array;
  /** the graph's one input: the model's NHWC batch */
  input: string;
  /**
   * The layers whose outputs the graph gives (NHWC, named as the layers): the target and every other backbone layer
   * that the rest of the model reads (DenseNet's last concatenation reads the block before the target).
   */
  outputs: string[];
}

const opset = 13;
const { AttributeType } = onnx.AttributeProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

type Attr = number | number[] | string;

function attribute(name: string, value: Attr): types.IAttributeProto {
  if (typeof value === "string")
    return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  return Number.isInteger(value)
    ? { name, type: AttributeType.INT, i: value }
    : { name, type: AttributeType.FLOAT, f: value };
}

function pair(v: unknown, what: string): [number, number] {
  const a = Array.isArray(v) ? v : [v, v];
  const [x, y] = a as unknown[];
  if (typeof x !== "number" || typeof y !== "number") throw new Error(`${what}: expected two numbers`);
  return [x, y];
}

/** TensorFlow's "same" padding: ceil(in / stride) outputs, the odd pixel at the end. */
function samePads(
  size: [number, number],
  kernel: [number, number],
  strides: [number, number],
  dilation = [1, 1],
) {
  const begin: number[] = [];
  const end: number[] = [];
  for (let d = 0; d < 2; d++) {
    const inSize = size[d] as number;
    const s = strides[d] as number;
    const k = ((kernel[d] as number) - 1) * (dilation[d] as number) + 1;
    const total = Math.max((Math.ceil(inSize / s) - 1) * s + k - inSize, 0);
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
  }
  return [...begin, ...end];
}

class GraphBuilder {
  readonly nodes: types.INodeProto[] = [];
  readonly initializers: types.ITensorProto[] = [];
  private count = 0;

  node(op: string, inputs: string[], output: string, attrs: Record<string, Attr> = {}): string {
    this.nodes.push({
      opType: op,
      name: `${op}_${this.count++}`,
      input: inputs,
      output: [output],
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return output;
  }

  floats(name: string, dims: number[], data: Float32Array): string {
    const copy = Float32Array.from(data); // a view of its own buffer: rawData takes the bytes as they are
    this.initializers.push({ name, dims, dataType: FLOAT, rawData: new Uint8Array(copy.buffer) });
    return name;
  }

  int64s(name: string, values: number[]): string {
    this.initializers.push({ name, dims: [values.length], dataType: INT64, int64Data: values });
    return name;
  }
}

/** tfjs conv kernel [kh, kw, in, out] -> ONNX [out, in, kh, kw]. */
function convKernel(w: tf.Tensor): { dims: number[]; data: Float32Array } {
  const [kh, kw, ci, co] = w.shape as [number, number, number, number];
  const src = w.dataSync() as Float32Array;
  const dst = new Float32Array(src.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++)
          dst[((o * ci + i) * kh + y) * kw + x] = src[((y * kw + x) * ci + i) * co + o] as number;
  return { dims: [co, ci, kh, kw], data: dst };
}

function spatial(layer: tf.layers.Layer, shape: readonly (number | null)[]): [number, number] {
  const [, h, w] = shape;
  if (!h || !w) throw new Error(`layer ${layer.name}: the export needs a fixed input size`);
  return [h, w];
}

function activation(g: GraphBuilder, layer: tf.layers.Layer, x: string, out: string, fn: unknown): string {
  if (fn === "linear" || fn === undefined || fn === null) return g.node("Identity", [x], out);
  if (fn === "relu") return g.node("Relu", [x], out);
  throw new Error(`layer ${layer.name}: activation ${String(fn)} has no ONNX export`);
}

/** One layer as ONNX nodes; `inputs` are the NCHW value names of its inbound layers, the result is `out`. */
function convertLayer(
  g: GraphBuilder,
  layer: tf.layers.Layer,
  inputs: string[],
  inShape: readonly (number | null)[],
  out: string,
): void {
  const config = layer.getConfig();
  const cls = layer.getClassName();
  const x = inputs[0] as string;
  if (config.dataFormat !== undefined && config.dataFormat !== "channelsLast")
    throw new Error(`layer ${layer.name}: only channelsLast layers are exported`);
  switch (cls) {
    case "Conv2D": {
      const [kernel, bias] = layer.getWeights();
      if (!kernel) throw new Error(`layer ${layer.name} has no kernel`);
      const k = convKernel(kernel);
      const kh = k.dims[2] as number;
      const kw = k.dims[3] as number;
      const strides = pair(config.strides, layer.name);
      const dilations = pair(config.dilationRate ?? 1, layer.name);
      const pads =
        config.padding === "same"
          ? samePads(spatial(layer, inShape), [kh, kw], strides, dilations)
          : [0, 0, 0, 0];
      const ins = [x, g.floats(`${layer.name}/kernel`, k.dims, k.data)];
      if (config.useBias !== false && bias)
        ins.push(g.floats(`${layer.name}/bias`, [k.dims[0] as number], bias.dataSync() as Float32Array));
      const conv = g.node("Conv", ins, `${out}/conv`, {
        kernel_shape: [kh, kw],
        strides,
        dilations,
        pads,
        group: 1,
      });
      activation(g, layer, conv, out, config.activation);
      return;
    }
    case "BatchNormalization": {
      const axis = Number(config.axis ?? -1);
      if (axis !== -1 && axis !== 3)
        throw new Error(`layer ${layer.name}: batch normalisation over axis ${axis}`);
      const weights = layer.getWeights();
      const channels = (weights[weights.length - 1] as tf.Tensor).shape[0] as number;
      let i = 0;
      const gamma =
        config.scale === false ? new Float32Array(channels).fill(1) : (weights[i++] as tf.Tensor).dataSync();
      const beta =
        config.center === false ? new Float32Array(channels) : (weights[i++] as tf.Tensor).dataSync();
      const mean = (weights[i++] as tf.Tensor).dataSync();
      const variance = (weights[i++] as tf.Tensor).dataSync();
      const names = (["gamma", "beta", "mean", "variance"] as const).map((n, j) =>
        g.floats(`${layer.name}/${n}`, [channels], [gamma, beta, mean, variance][j] as Float32Array),
      );
      g.node("BatchNormalization", [x, ...names], out, { epsilon: Number(config.epsilon ?? 1e-3) });
      return;
    }
    case "Activation":
      activation(g, layer, x, out, config.activation);
      return;
    case "MaxPooling2D":
    case "AveragePooling2D": {
      const kernel = pair(config.poolSize, layer.name);
      const strides = pair(config.strides ?? config.poolSize, layer.name);
      const pads =
        config.padding === "same" ? samePads(spatial(layer, inShape), kernel, strides) : [0, 0, 0, 0];
      // TensorFlow's average pooling leaves the padding out of the count: ONNX's count_include_pad = 0 (default)
      g.node(cls === "MaxPooling2D" ? "MaxPool" : "AveragePool", [x], out, {
        kernel_shape: kernel,
        strides,
        pads,
      });
      return;
    }
    case "ZeroPadding2D": {
      const p = config.padding as unknown;
      const [vertical, horizontal] =
        typeof p === "number"
          ? [pair(p, layer.name), pair(p, layer.name)]
          : (p as unknown[]).map((v) => pair(v, layer.name));
      const [top, bottom] = vertical ?? [0, 0];
      const [left, right] = horizontal ?? [0, 0];
      const pads = g.int64s(`${layer.name}/pads`, [0, 0, top, left, 0, 0, bottom, right]);
      g.node("Pad", [x, pads], out);
      return;
    }
    case "Concatenate": {
      const axis = Number(config.axis ?? -1);
      if (axis !== -1 && axis !== 3) throw new Error(`layer ${layer.name}: concatenation over axis ${axis}`);
      g.node("Concat", inputs, out, { axis: 1 });
      return;
    }
    case "Add": {
      let sum = inputs[0] as string;
      inputs.slice(1).forEach((y, i) => {
        sum = g.node("Add", [sum, y], i === inputs.length - 2 ? out : `${out}/sum${i}`);
      });
      return;
    }
    default:
      throw new Error(`layer ${layer.name} (${cls}) has no ONNX export`);
  }
}

/** The backbone of `model` up to and including `target`, as an ONNX model with the weights it has now. */
export function exportBackbone(model: tf.LayersModel, target: string): BackboneGraph {
  const input = model.inputs[0];
  if (model.inputs.length !== 1 || !input) throw new Error(`model ${model.name} must have one input`);
  const [, h, w, c] = input.shape;
  if (!h || !w || !c) throw new Error(`model ${model.name}: the export needs a fixed input size`);
  const backbone = layersBetween(model, [target], new Set());
  const inBackbone = new Set(backbone.map((l) => l.name));
  // what the rest of the model reads from the backbone: the graph's outputs
  const rest = model.outputs.map((o) => o.sourceLayer.name);
  const outputs = layersBetween(model, rest, inBackbone)
    .filter((l) => inBackbone.has(l.name) && nodeOf(model, l).inboundLayers.length > 0)
    .map((l) => l.name);
  if (!outputs.includes(target)) outputs.push(target);

  const g = new GraphBuilder();
  const value = new Map<string, string>();
  for (const layer of backbone) {
    const node = nodeOf(model, layer);
    const inbound = node.inboundLayers;
    if (inbound.length === 0) {
      value.set(layer.name, g.node("Transpose", ["input"], "input/nchw", { perm: [0, 3, 1, 2] }));
      continue;
    }
    const ins = inbound.map((l) => {
      const v = value.get(l.name);
      if (!v) throw new Error(`layer ${layer.name} comes before its input ${l.name}`);
      return v;
    });
    const out = `${layer.name}/nchw`;
    convertLayer(g, layer, ins, node.inputTensors[0]?.shape ?? [], out);
    value.set(layer.name, out);
  }
  for (const name of outputs) g.node("Transpose", [value.get(name) as string], name, { perm: [0, 2, 3, 1] });

  const floatType = (dims: types.TensorShapeProto.IDimension[] | undefined): types.ITypeProto => ({
    tensorType: { elemType: FLOAT, ...(dims ? { shape: { dim: dims } } : {}) },
  });
  const proto = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "@cxr/ml",
    opsetImport: [{ domain: "", version: opset }],
    graph: {
      name: `${model.name}_backbone`,
      node: g.nodes,
      initializer: g.initializers,
      input: [
        {
          name: "input",
          type: floatType([{ dimParam: "batch" }, { dimValue: h }, { dimValue: w }, { dimValue: c }]),
        },
      ],
      output: outputs.map((name) => ({ name, type: floatType(undefined) })),
    },
  });
  return { bytes: onnx.ModelProto.encode(proto).finish(), input: "input", outputs };
}
