// Robustness across phantom styles with the default recipe (src/robustness.ts), at the scale: 600 training
// phantoms of one style, 300 held-out phantoms of each style. Prints JSON; a few minutes to tens of minutes on a CPU.
// usage: npx tsx scripts/robustness.ts [--train-style alternate|classic|mixed] [--train N] [--test N] [--epochs N]
//        [--no-gradcam] [--out DIR] [--lr R] [--schedule time-decay|cosine|plateau]
//        [--augment rotation|exposure|radiograph] [--seed S: the phantoms' and the training's; test: S + 1000]
import { mkdtemp } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { initBackend } from "../src/backend";
import { phantomStyles } from "../src/phantom/style";
import { augmentPresets } from "../src/augment";
import { crossStyleRobustness } from "../src/robustness";
import { schedules } from "../src/train/optimizer";

const s = { type: "string" } as const;
const a = z
  .object({
    "train-style": z.enum(phantomStyles).default("alternate"),
    train: z.coerce.number().int().positive().default(600),
    test: z.coerce.number().int().positive().default(300),
    epochs: z.coerce.number().int().positive().optional(),
    "no-gradcam": z.boolean().default(false),
    out: z.string().optional(),
    lr: z.coerce.number().positive().max(1).optional(),
    schedule: z.enum(schedules).optional(),
    seed: z.coerce.number().int().nonnegative().default(42),
    augment: z.enum(Object.keys(augmentPresets) as [keyof typeof augmentPresets]).optional(),
  })
  .parse(
    parseArgs({
      options: {
        "train-style": s,
        train: s,
        test: s,
        epochs: s,
        "no-gradcam": { type: "boolean" },
        out: s,
        lr: s,
        schedule: s,
        augment: s,
        seed: s,
      },
    }).values,
  );

await initBackend("auto");
const report = await crossStyleRobustness({
  dir: a.out ?? (await mkdtemp(join(tmpdir(), "robustness-"))),
  trainStyle: a["train-style"],
  trainCount: a.train,
  testCount: a.test,
  size: 256,
  seed: a.seed,
  gradcam: !a["no-gradcam"],
  ...(a.epochs ? { epochs: a.epochs } : {}),
  ...(a.lr ? { learningRate: a.lr } : {}),
  ...(a.schedule ? { schedule: a.schedule } : {}),
  ...(a.augment ? { augment: augmentPresets[a.augment] } : {}),
  log: (m) => console.error(m),
  onEpoch: (r) => console.error(JSON.stringify(r)),
});
console.log(
  JSON.stringify({
    bench: "robustness",
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, backend: tf.getBackend() },
    command: `npx tsx scripts/robustness.ts ${process.argv.slice(2).join(" ")}`.trim(),
    ...report,
  }),
);
