// `train --data DIR --out MODEL_DIR [--arch A] [--weights DIR] [--epochs N] [--mode full|head] [--from MODEL_DIR]
//        [--batch-size N] [--seed S] [--cache DIR] [--roi-weight W] [--lr R] [--schedule time-decay|cosine|plateau]
//        [--augment rotation|exposure|radiograph]`
import { z } from "zod";
import { augmentPresets, type AugmentPreset } from "../augment";
import { archSchema } from "../models/arch";
import { schedules } from "../train/optimizer";
import { refuseHeadAugment, trainingMode, trainModelVersion } from "../train/train-version";
import { intFlag, numberFlag, parseCommand, pathFlag, stringFlags } from "./args";

const schema = z.object({
  data: pathFlag("data-set folder"),
  out: pathFlag("model version folder to write"),
  arch: archSchema.optional(),
  weights: z.string().min(1).optional(),
  epochs: intFlag(1).pipe(z.number().max(10_000)).optional(),
  mode: z.enum(["full", "head"]).optional(),
  from: z.string().min(1).optional(),
  "batch-size": intFlag(1).optional(),
  seed: intFlag(0).optional(),
  cache: z.string().min(1).optional(),
  "roi-weight": numberFlag(0, 100).optional(),
  lr: numberFlag(1e-6, 1).optional(),
  schedule: z.enum(schedules).optional(),
  augment: z.enum(Object.keys(augmentPresets) as [AugmentPreset, ...AugmentPreset[]]).optional(),
});

export async function trainCommand(argv: string[]): Promise<void> {
  const a = parseCommand(
    argv,
    stringFlags(
      "data",
      "out",
      "arch",
      "weights",
      "epochs",
      "mode",
      "from",
      "batch-size",
      "seed",
      "cache",
      "roi-weight",
      "lr",
      "schedule",
      "augment",
    ),
    schema,
  );
  // early, before any data is read (training refuses it too, once a --from model has decided the mode)
  const augment = a.augment ? augmentPresets[a.augment] : undefined;
  refuseHeadAugment(trainingMode(a.arch ?? "compact", a.mode), augment);
  if (a.weights && (a.arch ?? "compact") === "compact")
    throw new Error("--weights is for the transfer models (vgg16, densenet121, resnet50)");
  const result = await trainModelVersion({
    dataDir: a.data,
    outDir: a.out,
    ...(a.arch ? { arch: a.arch } : {}),
    ...(a.weights ? { weightsDir: a.weights } : {}),
    ...(a.epochs ? { epochs: a.epochs } : {}),
    ...(a.mode ? { mode: a.mode } : {}),
    ...(a.from ? { fromDir: a.from } : {}),
    ...(a["batch-size"] ? { batchSize: a["batch-size"] } : {}),
    ...(a.seed !== undefined ? { seed: a.seed } : {}),
    ...(a.cache ? { cacheDir: a.cache } : {}),
    ...(a["roi-weight"] !== undefined ? { roiWeight: a["roi-weight"] } : {}),
    ...(a.lr !== undefined ? { learningRate: a.lr } : {}),
    ...(a.schedule ? { schedule: a.schedule } : {}),
    ...(augment ? { augment } : {}),
    log: (m) => console.error(m),
    onEpoch: (r) =>
      console.error(
        `epoch ${r.epoch}: loss ${r.loss.toFixed(4)} acc ${r.accuracy.toFixed(4)}` +
          (r.val_loss !== null
            ? ` val_loss ${r.val_loss.toFixed(4)} val_acc ${(r.val_accuracy ?? 0).toFixed(4)}`
            : "") +
          ` lr ${r.learning_rate.toExponential(2)} (${r.seconds.toFixed(1)} s)`,
      ),
  });
  // training keeps the epoch with the lowest validation loss, and stops when it has not improved for a while
  const ran = result.version.history.length;
  if (ran < (a.epochs ?? 15)) console.error(`stopped early after ${ran} epochs`);
  const m = result.version.metrics as { accuracy?: number; localization?: { pointing_game?: number } | null };
  console.log(
    `wrote ${result.version.dir} (${result.version.version.arch}, classes ${result.version.version.classes.join(", ")}) in ${result.seconds.toFixed(1)} s; ` +
      `locked test accuracy ${m.accuracy?.toFixed(4) ?? "n/a"}, pointing game ${m.localization?.pointing_game?.toFixed(4) ?? "n/a"}; sha256 ${result.version.digest}`,
  );
}
