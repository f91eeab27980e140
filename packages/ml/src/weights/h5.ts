// Reads the weights of a Keras model saved to HDF5, in either of Keras's two layouts, with h5wasm (HDF5 compiled
// to WebAssembly, so no Python or TensorFlow is needed):
// - "keras2": `save_weights(...h5)` and the applications' `*_weights_tf_dim_ordering_tf_kernels_notop.h5`. The root
//   attribute `layer_names` lists the layers; each layer's group has `weight_names` ("block1_conv1/kernel:0", ...),
//   the datasets' paths inside the group.
// - "keras3": `save_weights(...weights.h5)`: `/layers/<layer>/vars/0, 1, ...` in the layer's variable order
//   (trainable then non-trainable: kernel, bias; gamma, beta, moving_mean, moving_variance).
import { open } from "node:fs/promises";
import h5wasm, { Dataset, Group, type File as H5File } from "h5wasm/node";

export type KerasLayout = "keras2" | "keras3";

export interface KerasWeight {
  /** "kernel", "bias", "gamma", ... in the keras2 layout; the variable's index in the keras3 layout */
  name: string;
  shape: number[];
  values: Float32Array;
}

export interface KerasWeightFile {
  layout: KerasLayout;
  /** layers that hold weights, in file order, each with its weights in the layer's order */
  layers: Map<string, KerasWeight[]>;
}

const hdf5Signature = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** HDF5's superblock sits at 0, 512, 1024, 2048, ... (after a user block); checked first so that h5wasm never
 *  sees a file that is not HDF5 (it would print HDF5's error stack and fail later with a vague message). */
async function assertHdf5(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch {
    throw new Error(`cannot read ${path}`);
  }
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(8);
    for (let offset = 0; offset + 8 <= size; offset = offset === 0 ? 512 : offset * 2) {
      await handle.read(buffer, 0, 8, offset);
      if (buffer.equals(hdf5Signature)) return;
    }
  } finally {
    await handle.close();
  }
  throw new Error(`${path} is not an HDF5 file (no HDF5 signature): not a Keras weight file`);
}

function strings(value: unknown): string[] | undefined {
  const list = Array.isArray(value) ? value : typeof value === "string" ? [value] : undefined;
  return list?.every((v) => typeof v === "string") ? (list as string[]) : undefined;
}

function readDataset(entity: unknown, where: string): { shape: number[]; values: Float32Array } {
  if (!(entity instanceof Dataset)) throw new Error(`${where} is not a dataset`);
  const value = entity.value;
  if (!(value instanceof Float32Array) && !(value instanceof Float64Array))
    throw new Error(`${where} holds ${String(entity.dtype)} values, not floating point`);
  return {
    shape: entity.shape ?? [],
    values: value instanceof Float32Array ? value : Float32Array.from(value),
  };
}

function readKeras2(file: H5File, layerNames: string[]): Map<string, KerasWeight[]> {
  const layers = new Map<string, KerasWeight[]>();
  for (const layer of layerNames) {
    const group = file.get(layer);
    if (!(group instanceof Group))
      throw new Error(`layer ${layer} is listed in layer_names but has no group`);
    const weightNames = strings(group.attrs["weight_names"]?.value) ?? [];
    if (weightNames.length === 0) continue;
    layers.set(
      layer,
      weightNames.map((weightName) => {
        const { shape, values } = readDataset(group.get(weightName), `${layer}/${weightName}`);
        // "block1_conv1/kernel:0" -> "kernel"
        const short = (weightName.split("/").pop() ?? weightName).replace(/:\d+$/, "");
        return { name: short, shape, values };
      }),
    );
  }
  return layers;
}

function readKeras3(root: Group): Map<string, KerasWeight[]> {
  const layers = new Map<string, KerasWeight[]>();
  for (const layer of root.keys()) {
    const vars = root.get(`${layer}/vars`);
    if (!(vars instanceof Group)) continue;
    const indices = vars
      .keys()
      .filter((k) => /^\d+$/.test(k))
      .sort((a, b) => Number(a) - Number(b));
    if (indices.length === 0) continue;
    layers.set(
      layer,
      indices.map((i) => ({ name: i, ...readDataset(vars.get(i), `layers/${layer}/vars/${i}`) })),
    );
  }
  return layers;
}

let ready: Promise<unknown> | undefined;

/** Reads every layer's weights; throws a one-line error for a file that is not HDF5 or not in a Keras layout. */
export async function readKerasWeightFile(path: string): Promise<KerasWeightFile> {
  await assertHdf5(path);
  ready ??= h5wasm.ready;
  await ready;
  let file: H5File;
  try {
    file = new h5wasm.File(path, "r");
  } catch (error) {
    throw new Error(`cannot open ${path} as HDF5: ${error instanceof Error ? error.message : String(error)}`);
  }
  // h5wasm does not throw for a file HDF5 cannot open (e.g. cut short): its id is negative
  if (file.file_id < 0n) throw new Error(`${path} is damaged: HDF5 cannot open it (truncated or corrupt)`);
  try {
    const layerNames = strings(file.attrs["layer_names"]?.value);
    if (layerNames) return { layout: "keras2", layers: readKeras2(file, layerNames) };
    for (const name of ["layers", "_layer_checkpoint_dependencies"]) {
      const root = file.get(name);
      if (root instanceof Group) return { layout: "keras3", layers: readKeras3(root) };
    }
    throw new Error(
      `${path} is HDF5 but not a Keras weight file: no root attribute layer_names (Keras 2) and no group layers (Keras 3 .weights.h5)`,
    );
  } catch (error) {
    // h5wasm reports a damaged file part by part, as "error - name not defined!" and the like
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(message.startsWith(path) ? message : `cannot read ${path} as Keras weights: ${message}`);
  } finally {
    file.close();
  }
}
