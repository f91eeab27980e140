// Robustness across phantom styles with the default recipe (src/robustness.ts), at the scale: 600 training
// phantoms of one style, 300 held-out phantoms of each style. Prints JSON; a few minutes to tens of minutes on a CPU.
// usage: npx tsx scripts/robustness.ts [--train-style alternate|classic|mixed] [--train N] [--test N] [--epochs N]
//        [--no-gradcam] [--out DIR]
import { mkdtemp } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { initBackend } from "../src/backend";
import { phantomStyles } from "../src/phantom/style";
import { crossStyleRobustness } from "../src/robustness";

const s = { type: "string" } as const;
const a = z
  .object({
    "train-style": z.enum(phantomStyles).default("alternate"),
    train: z.coerce.number().int().positive().default(600),
    test: z.coerce.number().int().positive().default(300),
    epochs: z.coerce.number().int().positive().optional(),
    "no-gradcam": z.boolean().default(false),
    out: z.string().optional(),
  })
  .parse(
    parseArgs({
      options: { "train-style": s, train: s, test: s, epochs: s, "no-gradcam": { type: "boolean" }, out: s },
    }).values,
  );

await initBackend("auto");
const report = await crossStyleRobustness({
  dir: a.out ?? (await mkdtemp(join(tmpdir(), "robustness-"))),
  trainStyle: a["train-style"],
  trainCount: a.train,
  testCount: a.test,
  size: 256,
  seed: 42,
  gradcam: !a["no-gradcam"],
  ...(a.epochs ? { epochs: a.epochs } : {}),
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
