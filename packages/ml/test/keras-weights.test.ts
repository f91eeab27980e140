// Keras weight files written by an independent writer (Debian's python3-h5py, test/write-keras-h5.py) from a
// model's own random weights, in both of Keras's layouts, load into a fresh model with identical layer outputs;
// files of another architecture, with a missing or mis-shaped layer, or damaged, are refused naming the layer.
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { buildClassifier } from "../src/models/classifier";
import { buildBackbone, importKerasWeights, readBackboneFolder } from "../src/weights/backbone-folder";
import { readKerasWeightFile } from "../src/weights/h5";
import { loadKerasWeights, type PretrainedArch } from "../src/weights/mapping";
import { useWasmAndTempDir } from "./learned";

const tmp = useWasmAndTempDir("ml-keras-weights-");
const run = promisify(execFile);
const writer = resolve(__dirname, "write-keras-h5.py");
// weights do not depend on the input size; a small input keeps the forward passes cheap
const size = 32;

interface ManifestLayer {
  name: string;
  weights: { name: string; shape: number[]; offset: number }[];
}

/** Exports the model's weights (raw float32 + manifest) and has python3-h5py write them as a Keras file. */
async function writeKerasFile(
  model: tf.LayersModel,
  layout: "keras2" | "keras3",
  name: string,
  edit: (layers: ManifestLayer[]) => ManifestLayer[] = (l) => l,
): Promise<string> {
  const chunks: Float32Array[] = [];
  let offset = 0;
  const layers: ManifestLayer[] = model.layers.map((layer) => ({
    name: layer.name,
    weights: layer.weights.map((variable) => {
      const values = variable.read().dataSync() as Float32Array;
      chunks.push(values);
      const entry = {
        name: variable.originalName.split("/").pop() ?? "",
        shape: variable.shape as number[],
        offset,
      };
      offset += values.length;
      return entry;
    }),
  }));
  const data = join(tmp.dir, `${name}.f32`);
  const bytes = new Uint8Array(offset * 4);
  let at = 0;
  for (const c of chunks) {
    bytes.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), at);
    at += c.byteLength;
  }
  await writeFile(data, bytes);
  const out = join(tmp.dir, layout === "keras3" ? `${name}.weights.h5` : `${name}_notop.h5`);
  const manifest = join(tmp.dir, `${name}.json`);
  await writeFile(manifest, JSON.stringify({ layout, out, data, layers: edit(layers) }));
  await run("/usr/bin/python3", [writer, manifest]);
  return out;
}

async function outputs(model: tf.LayersModel, layers: string[], input: tf.Tensor): Promise<number[][]> {
  const probe = tf.model({
    inputs: model.inputs,
    outputs: layers.map((l) => model.getLayer(l).output as tf.SymbolicTensor),
  });
  const result = probe.predict(input) as tf.Tensor[];
  const values = await Promise.all(result.map(async (t) => Array.from(await t.data())));
  tf.dispose(result);
  return values;
}

const probeLayers: Record<PretrainedArch, string[]> = {
  vgg16: ["block1_conv1", "block3_conv3", "block5_pool"],
  densenet121: ["conv1/relu", "pool2_conv", "relu"],
  resnet50: ["conv1_relu", "conv3_block4_out", "conv5_block3_out"],
};

const files = new Map<string, string>();

describe("a Keras weight file written by h5py from the model's own weights", () => {
  it.each([
    ["vgg16", "keras2"],
    ["vgg16", "keras3"],
    ["densenet121", "keras3"],
    ["resnet50", "keras2"],
  ] as const)(
    "%s in the %s layout loads into a fresh model with identical layer outputs",
    async (arch, layout) => {
      const source = buildBackbone(arch, size);
      const fresh = buildBackbone(arch, size);
      const input = tf.randomUniform([2, size, size, 3], 0, 1, "float32", 7);
      try {
        const file = await writeKerasFile(source, layout, `${arch}-${layout}`);
        files.set(`${arch}-${layout}`, file);
        const expected = await outputs(source, probeLayers[arch], input);
        // two random initialisations differ, so equality below is the file's doing
        expect(await outputs(fresh, probeLayers[arch], input)).not.toEqual(expected);
        const weights = await readKerasWeightFile(file);
        expect(weights.layout).toBe(layout);
        const loaded = loadKerasWeights(fresh, arch, weights);
        expect(loaded.layers).toBe(fresh.layers.filter((l) => l.weights.length > 0).length);
        expect(await outputs(fresh, probeLayers[arch], input)).toEqual(expected);
      } finally {
        input.dispose();
        source.dispose();
        fresh.dispose();
      }
    },
  );
});

describe("refusals name the layer and leave the model as it was", () => {
  async function expectRefused(arch: PretrainedArch, file: string, message: RegExp): Promise<void> {
    const model = buildBackbone(arch, size);
    try {
      const before = model.getWeights().map((w) => w.dataSync()[0]);
      await expect(
        (async () => loadKerasWeights(model, arch, await readKerasWeightFile(file)))(),
      ).rejects.toThrow(message);
      expect(model.getWeights().map((w) => w.dataSync()[0])).toEqual(before);
    } finally {
      model.dispose();
    }
  }

  it("a file of another architecture", async () => {
    const resnet = files.get("resnet50-keras2");
    const densenet = files.get("densenet121-keras3");
    if (!resnet || !densenet) throw new Error("the loading tests above write these files");
    await expectRefused(
      "vgg16",
      resnet,
      /holds resnet50 weights \(it has layer conv5_block3_3_conv\), not vgg16/,
    );
    await expectRefused("resnet50", densenet, /holds densenet121 weights/);
  });

  it("a missing layer, a mis-shaped kernel, a layer the backbone lacks", async () => {
    const model = buildBackbone("vgg16", size);
    try {
      const missing = await writeKerasFile(model, "keras2", "missing", (layers) =>
        layers.filter((l) => l.name !== "block3_conv2"),
      );
      await expectRefused(
        "vgg16",
        missing,
        /layer block3_conv2 \(kernel \[3,3,256,256\], bias \[256\]\) is missing/,
      );
      const misShaped = await writeKerasFile(model, "keras3", "mis-shaped", (layers) =>
        layers.map((l) =>
          l.name === "block2_conv1"
            ? { ...l, weights: l.weights.map((w, i) => (i === 0 ? { ...w, shape: [3, 3, 32, 128] } : w)) }
            : l,
        ),
      );
      await expectRefused(
        "vgg16",
        misShaped,
        /layer block2_conv1: kernel is \[3,3,32,128\] in the file, the model needs \[3,3,64,128\]/,
      );
      const extra = await writeKerasFile(model, "keras2", "extra", (layers) => [
        ...layers,
        { name: "block6_conv1", weights: layers.find((l) => l.name === "block5_conv3")?.weights ?? [] },
      ]);
      await expectRefused(
        "vgg16",
        extra,
        /1 layer\(s\) with weights that the vgg16 backbone does not have: block6_conv1/,
      );
    } finally {
      model.dispose();
    }
  });

  it("a corrupt file: not HDF5, or an HDF5 file cut short", async () => {
    const garbage = join(tmp.dir, "garbage.h5");
    await writeFile(garbage, Buffer.from("this is not an HDF5 file".repeat(100)));
    await expectRefused("vgg16", garbage, /is not an HDF5 file/);
    const good = await readFile(files.get("vgg16-keras2") ?? "");
    const cut = join(tmp.dir, "cut.h5");
    await writeFile(cut, good.subarray(0, good.length >> 1));
    await expectRefused("vgg16", cut, /cut\.h5 is damaged/);
    await expectRefused("vgg16", join(tmp.dir, "absent.h5"), /cannot read .*absent\.h5/);
  });
});

describe("importing a Keras file as a pretrained backbone folder", () => {
  it("writes a checksummed folder that a classifier loads as its backbone, and refuses a damaged one", async () => {
    const file = files.get("vgg16-keras3");
    if (!file) throw new Error("the loading tests above write this file");
    const dir = join(tmp.dir, "vgg16-imagenet");
    const imported = await importKerasWeights({ arch: "vgg16", file, outDir: dir });
    expect(imported.info).toMatchObject({ arch: "vgg16", layout: "keras3", layers: 13, inputSize: 224 });
    expect((await readBackboneFolder(dir)).digest).toBe(imported.digest);
    const weights = await readKerasWeightFile(file);
    const c = await buildClassifier({ arch: "vgg16", classes: ["a", "b"], weightsDir: dir });
    try {
      const kernel = c.model.getLayer("block4_conv2").getWeights()[0]?.dataSync();
      expect(Array.from(kernel ?? [])).toEqual(
        Array.from(weights.layers.get("block4_conv2")?.[0]?.values ?? [1]),
      );
    } finally {
      c.model.dispose();
    }
    await writeFile(join(dir, "backbone.json"), "{}");
    await expect(readBackboneFolder(dir)).rejects.toThrow(/checksum mismatch/);
  });
});

describe("npm run ml -- import-weights", () => {
  const ml = (args: string[]) =>
    run(process.execPath, ["--import", "tsx", "src/cli.ts", "import-weights", ...args], {
      cwd: resolve(__dirname, ".."),
      env: { ...process.env, ML_BACKEND: "wasm" },
    }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: "" }),
      (error: { code?: number; stdout: string; stderr: string }) => ({ ...error, code: error.code ?? 1 }),
    );

  it("writes the folder and prints its digest; bad input is one line and a non-zero exit", async () => {
    const file = files.get("vgg16-keras2");
    if (!file) throw new Error("the loading tests above write this file");
    const out = join(tmp.dir, "cli-vgg16");
    const ok = await ml(["--arch", "vgg16", file, "--out", out]);
    expect(ok.code).toBe(0);
    const printed = JSON.parse(ok.stdout) as { digest: string; layout: string; layers: number };
    expect(printed).toMatchObject({ layout: "keras2", layers: 13 });
    expect((await readBackboneFolder(out)).digest).toBe(printed.digest);
    const wrong = await ml(["--arch", "densenet121", file, "--out", join(tmp.dir, "never")]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim()).toMatch(/^error: the file holds vgg16 weights .*, not densenet121/);
    const usage = await ml(["--arch", "alexnet", file]);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim()).toMatch(/^error: --arch: must be vgg16, densenet121 or resnet50$/);
  }, 300_000);
});
