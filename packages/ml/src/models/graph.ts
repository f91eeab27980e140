// Runs a functional Layers model layer by layer. tfjs' model.apply() ignores the `training` flag (it replays the
// kwargs recorded when the graph was built), so custom training loops would silently run dropout and batch
// normalisation in inference mode; this executor passes it. It can also replace a layer's output with a given
// tensor, which is how Grad-CAM differentiates the score with respect to a hidden layer's activations.
import type * as tf from "@tensorflow/tfjs";

type Layer = tf.layers.Layer;
type GraphNode = Layer["inboundNodes"][number];

export interface RunOptions {
  training?: boolean;
  /** layer name -> tensor used as that layer's output (the layer itself is not run) */
  overrides?: ReadonlyMap<string, tf.Tensor>;
  /** layer name -> tensor already computed for that layer's output (like overrides, for reuse) */
  known?: ReadonlyMap<string, tf.Tensor>;
  /**
   * In training mode, the (inverted) mask each Dropout layer multiplies its input by; tfjs' own dropout draws from
   * an unseeded generator (and a seeded one repeats its mask every step), so seeded training supplies its own.
   */
  dropoutMask?: (shape: readonly number[], rate: number) => tf.Tensor;
}

/** The node that places a layer in this model's graph (the layers of a model built by tf.model have one). */
export function nodeOf(model: tf.LayersModel, layer: Layer): GraphNode {
  const inModel = new Set(model.layers);
  const node = layer.inboundNodes.find((n) => n.inboundLayers.every((l) => inModel.has(l)));
  if (!node) throw new Error(`layer ${layer.name} is not connected in model ${model.name}`);
  return node;
}

/** Layers needed to compute `outputs`, in execution order, stopping at layers whose output is supplied. */
export function layersBetween(
  model: tf.LayersModel,
  outputs: readonly string[],
  supplied: ReadonlySet<string>,
): Layer[] {
  const needed = new Set<string>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (needed.has(name)) continue;
    needed.add(name);
    if (supplied.has(name)) continue;
    const layer = model.getLayer(name);
    for (const l of nodeOf(model, layer).inboundLayers) stack.push(l.name);
  }
  // model.layers is topologically sorted (inputs first)
  return model.layers.filter((l) => needed.has(l.name));
}

/** Computes the outputs of the named layers for concrete inputs (in the order of model.inputs). */
export function runLayers(
  model: tf.LayersModel,
  inputs: tf.Tensor[],
  outputs: readonly string[],
  options: RunOptions = {},
): tf.Tensor[] {
  const values = new Map<number, tf.Tensor>();
  model.inputs.forEach((symbolic, i) => {
    const t = inputs[i];
    if (!t) throw new Error(`model ${model.name} needs ${model.inputs.length} inputs`);
    values.set(symbolic.id, t);
  });
  const supplied = new Map<string, tf.Tensor>([...(options.known ?? []), ...(options.overrides ?? [])]);
  const byLayer = new Map<string, tf.Tensor>();
  for (const layer of layersBetween(model, outputs, new Set(supplied.keys()))) {
    const node = nodeOf(model, layer);
    let out: tf.Tensor | tf.Tensor[];
    const given = supplied.get(layer.name);
    if (given) {
      out = given;
    } else if (node.inboundLayers.length === 0) {
      // an input layer: its value was set from `inputs`
      const t = values.get(node.outputTensors[0]?.id ?? -1);
      if (!t) throw new Error(`no value for input layer ${layer.name}`);
      out = t;
    } else if (options.training && options.dropoutMask && layer.getClassName() === "Dropout") {
      const input = values.get(node.inputTensors[0]?.id ?? -1);
      if (!input) throw new Error(`layer ${layer.name} ran before its input`);
      const rate = Number(layer.getConfig().rate ?? 0);
      out = rate > 0 ? input.mul(options.dropoutMask(input.shape, rate)) : input;
    } else {
      const args = node.inputTensors.map((s) => {
        const t = values.get(s.id);
        if (!t) throw new Error(`layer ${layer.name} ran before its input ${s.name}`);
        return t;
      });
      out = layer.apply(args.length === 1 ? (args[0] as tf.Tensor) : args, {
        ...(node.callArgs ?? {}),
        training: options.training ?? false,
      }) as tf.Tensor | tf.Tensor[];
    }
    const outs = Array.isArray(out) ? out : [out];
    node.outputTensors.forEach((s, i) => {
      const t = outs[i];
      if (t) values.set(s.id, t);
    });
    if (outs[0]) byLayer.set(layer.name, outs[0]);
  }
  return outputs.map((name) => {
    const t = byLayer.get(name);
    if (!t) throw new Error(`layer ${name} produced no output`);
    return t;
  });
}
