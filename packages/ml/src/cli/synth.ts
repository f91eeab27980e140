// `synth --out DIR --count N [--seed S] [--classes a,b,c] [--size PX] [--style classic|alternate|mixed] [--bits 8|16]`
import { z } from "zod";
import { type PhantomClass, phantomClasses } from "../phantom/lesions";
import { phantomStyles } from "../phantom/style";
import { defaultPhantomClasses, synthesizeDataset } from "../phantom/synthesize";
import { intFlag, parseCommand, pathFlag, stringFlags } from "./args";

const schema = z.object({
  out: pathFlag("output folder"),
  count: z
    .string({ error: "is required (number of images)" })
    .pipe(intFlag(1))
    .pipe(z.number().max(1_000_000)),
  seed: intFlag(0).default(42),
  size: intFlag(32).pipe(z.number().max(2048)).default(256),
  classes: z
    .string()
    .transform((s) => s.split(",").map((c) => c.trim()))
    .pipe(z.array(z.enum(phantomClasses)).min(1))
    .optional(),
  style: z.enum(phantomStyles).default("classic"),
  bits: z
    .enum(["8", "16"])
    .transform((b) => (b === "16" ? 16 : 8))
    .optional(),
});

export async function synthCommand(argv: string[]): Promise<void> {
  const a = parseCommand(
    argv,
    stringFlags("out", "count", "seed", "size", "classes", "style", "bits"),
    schema,
  );
  const started = performance.now();
  const classes: readonly PhantomClass[] = a.classes ?? defaultPhantomClasses;
  const records = await synthesizeDataset(a.out, {
    count: a.count,
    seed: a.seed,
    size: a.size,
    classes,
    style: a.style,
    ...(a.bits ? { bits: a.bits } : {}),
  });
  const patients = new Set(records.map((r) => r.patientId)).size;
  console.log(
    `wrote ${records.length} ${a.style} phantoms of ${patients} patients (${classes.join(", ")}) to ${a.out} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
