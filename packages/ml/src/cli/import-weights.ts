// `import-weights --arch vgg16|densenet121|resnet50 FILE.h5 [--out DIR]`: reads a Keras applications weight file
// (Keras 2 .h5 or Keras 3 .weights.h5), checks it layer by layer against the backbone and writes a pretrained
// backbone folder (Layers model + backbone.json + checksums.json) that `train --weights DIR` loads.
import { parseArgs } from "node:util";
import { z } from "zod";
import { importKerasWeights } from "../weights/backbone-folder";
import { UsageError } from "./args";

const schema = z.object({
  arch: z.enum(["vgg16", "densenet121", "resnet50"], { error: "must be vgg16, densenet121 or resnet50" }),
  out: z.string().min(1).optional(),
  file: z.string({ error: "is required (the Keras .h5 weight file)" }).min(1),
});

export async function importWeightsCommand(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { arch: { type: "string" }, out: { type: "string" } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error));
  }
  if (parsed.positionals.length > 1) throw new UsageError("give one weight file");
  const a = schema.safeParse({ ...parsed.values, file: parsed.positionals[0] });
  if (!a.success) {
    const issue = a.error.issues[0];
    const what = issue?.path[0] === "file" ? "FILE.h5" : `--${String(issue?.path[0] ?? "arguments")}`;
    throw new UsageError(`${what}: ${issue?.message ?? "invalid"}`);
  }
  const { arch, file } = a.data;
  const backbone = await importKerasWeights({ arch, file, outDir: a.data.out ?? `${arch}-imagenet` });
  console.log(
    JSON.stringify({
      dir: backbone.dir,
      arch,
      digest: backbone.digest,
      sourceSha256: backbone.info.sourceSha256,
      layout: backbone.info.layout,
      layers: backbone.info.layers,
      ignoredLayers: backbone.info.ignoredLayers,
    }),
  );
}
