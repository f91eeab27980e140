// The heavy part of a training run, from its plan to a written (unpublished) candidate and its locked-test figures
// next to the champion's: everything that runs models. It talks to nothing but its context (database, storage,
// engine) and `report`, so it runs the same in the service's process or in a child process (child.ts).
import type { Db } from "@cxr/db";
import type { ObjectStorage } from "@cxr/storage";
import type {
  EpochProgress,
  EvaluationMetrics,
  HeadTrainer,
  LabelledImage,
  MlEngine,
  StepProgress,
  TrainResult,
} from "../engine/types";
import type { Architecture } from "../engine/types";
import { loadMaster, ImageUnavailableError } from "../storage/images";
import { loadLabelled, type LabelRow } from "./dataset";
import { openEmbeddingCache } from "./embedding-cache";
import type { ParentVersion } from "./parent";

export interface CandidatePlan {
  mode: "HEAD_ONLY" | "FULL_FINE_TUNE" | "FROM_SCRATCH";
  architecture: Architecture;
  /** the label set's classes, in order */
  classes: string[];
  /** every labelled row with its split (TRAIN, VALIDATION learn; TEST judges) */
  rows: LabelRow[];
  epochs: number;
  seed: number;
  batchSize?: number;
  roiWeight?: number;
  /** the version whose weights (or backbone) the run starts from */
  parent: ParentVersion | null;
  /** from scratch: a registered pretrained backbone folder (ImageNet weights) the transfer model starts from */
  weightsDir?: string;
  /** the champion when the run started, measured on the same test images */
  champion: ParentVersion | null;
  /** an empty folder the candidate is written to */
  outDir: string;
}

export interface CandidateOutcome {
  result: TrainResult;
  candidateMetrics: EvaluationMetrics | null;
  /** the champion's figures on the same test images (null without a champion or test images) */
  champion: { id: string; metrics: EvaluationMetrics } | null;
  embeddingCache?: { hits: number; misses: number };
  /** head-only: labels outside the locked test split of classes the parent does not predict, left out */
  skippedLabels?: number;
}

/** What the run reports as it goes; a rejection from the receiver stops the run (cancel). */
export type CandidateEvent =
  | { kind: "embedding"; done: number; total: number; hits: number; misses: number }
  | { kind: "epoch"; epoch: EpochProgress }
  | ({ kind: "step" } & StepProgress)
  | { kind: "evaluating" };

export interface CandidateContext {
  db: Db;
  storage: ObjectStorage;
  engine: MlEngine;
}

/** The engine's epoch and batch callbacks as the run's events. */
const progressReports = (report: (event: CandidateEvent) => Promise<void>) => ({
  onEpoch: (epoch: EpochProgress) => report({ kind: "epoch", epoch }),
  onStep: (step: StepProgress) => report({ kind: "step", ...step }),
});

const splitRows = (rows: readonly LabelRow[], split: LabelRow["split"]) =>
  rows.filter((r) => r.split === split);

export async function trainCandidate(
  ctx: CandidateContext,
  plan: CandidatePlan,
  report: (event: CandidateEvent) => Promise<void>,
): Promise<CandidateOutcome> {
  if (plan.mode === "HEAD_ONLY") {
    if (!plan.parent) throw new Error("head-only retraining needs the champion's backbone");
    return trainHead(ctx, plan, plan.parent, report);
  }
  const train = await loadLabelled(ctx, splitRows(plan.rows, "TRAIN"));
  const validation = await loadLabelled(ctx, splitRows(plan.rows, "VALIDATION"));
  if (train.length === 0)
    throw new Error("no labelled images in the training split: import or label some first");
  const result = await ctx.engine.train({
    architecture: plan.architecture,
    mode: "full",
    classes: plan.classes,
    train,
    validation,
    epochs: plan.epochs,
    seed: plan.seed,
    outDir: plan.outDir,
    ...(plan.parent ? { parent: { dir: plan.parent.dir, checksum: plan.parent.checksum } } : {}),
    ...(plan.weightsDir ? { weightsDir: plan.weightsDir } : {}),
    ...(plan.batchSize !== undefined ? { batchSize: plan.batchSize } : {}),
    ...(plan.roiWeight !== undefined ? { roiWeight: plan.roiWeight } : {}),
    ...progressReports(report),
  });
  await report({ kind: "evaluating" });
  const test = await loadLabelled(ctx, splitRows(plan.rows, "TEST"));
  const evaluate = async (version: { dir: string; checksum: string }) => {
    // loading through the checksum check also proves the candidate's folder is complete before it is published
    const model = await ctx.engine.load(version.dir, version.checksum);
    try {
      return await ctx.engine.evaluate(model, test);
    } finally {
      model.dispose();
    }
  };
  if (test.length === 0) return { result, candidateMetrics: null, champion: null };
  const candidateMetrics = await evaluate({ dir: plan.outDir, checksum: result.checksum });
  const champion = plan.champion ? { id: plan.champion.id, metrics: await evaluate(plan.champion) } : null;
  return { result, candidateMetrics, champion };
}

/**
 * Head-only: a new head on the parent's frozen backbone, learning from embeddings that come from the persistent
 * cache where they can. The locked test evaluation of the candidate and of the champion (when it is the parent:
 * same backbone, only the head differs) runs on the same embeddings, so a fully cached run passes no image through
 * the backbone.
 */
async function trainHead(
  ctx: CandidateContext,
  plan: CandidatePlan,
  parent: ParentVersion,
  report: (event: CandidateEvent) => Promise<void>,
): Promise<CandidateOutcome> {
  const trainer = await ctx.engine.openHead(parent);
  try {
    const cache = await openEmbeddingCache(ctx, trainer.cacheKey, trainer.size);
    // rows the head can learn: a decoded master and one of the parent's classes; the others' labels (outside
    // the locked test split, as the preview counts them) are skipped and counted
    const usable = plan.rows.filter((r) => r.masterSha256 && trainer.classes.includes(r.classKey));
    const skippedLabels = plan.rows.filter(
      (r) => r.split !== "TEST" && !trainer.classes.includes(r.classKey),
    ).length;
    const missing = new Set(usable.filter((r) => !cache.get(r.masterSha256!)).map((r) => r.masterSha256!));
    const misses = usable.filter((r) => missing.has(r.masterSha256!)).length;
    const counts = { hits: usable.length - misses, misses };
    const unavailable = await embedMissing(ctx, trainer, cache, usable, missing, report, counts);
    await cache.flush();
    const rows = usable.filter((r) => !unavailable.has(r.masterSha256!));
    const set = (split: LabelRow["split"]) => {
      const chosen = splitRows(rows, split);
      const x = new Float32Array(chosen.length * trainer.size);
      chosen.forEach((r, i) => x.set(cache.get(r.masterSha256!)!, i * trainer.size));
      return { rows: chosen, x, labels: chosen.map((r) => trainer.classes.indexOf(r.classKey)) };
    };
    const [train, validation, test] = [set("TRAIN"), set("VALIDATION"), set("TEST")];
    if (train.rows.length === 0)
      throw new Error("no labelled images of the champion's classes in the training split");
    await trainer.fit(train, validation.rows.length > 0 ? validation : undefined, {
      epochs: plan.epochs,
      seed: plan.seed,
      ...(plan.batchSize !== undefined ? { batchSize: plan.batchSize } : {}),
      ...progressReports(report),
    });
    await report({ kind: "evaluating" });
    const patients = (r: { rows: LabelRow[] }) => [...new Set(r.rows.map((row) => row.patientId))];
    const result = await trainer.write(plan.outDir, {
      train: patients(train),
      val: patients(validation),
      test: patients(test),
      seed: plan.seed,
    });
    // loading through the checksum check proves the folder is complete before it is published
    (await ctx.engine.load(plan.outDir, result.checksum)).dispose();
    const measure = async (head: "candidate" | "parent") =>
      ctx.engine.metrics(trainer.classes, await trainer.probabilities(head, test.x), test.rows);
    const candidateMetrics = test.rows.length > 0 ? await measure("candidate") : null;
    const champion =
      test.rows.length > 0 && plan.champion?.id === parent.id
        ? { id: parent.id, metrics: await measure("parent") }
        : null;
    return { result, candidateMetrics, champion, embeddingCache: counts, skippedLabels };
  } finally {
    trainer.dispose();
  }
}

/** Embeds the images not in the cache, a batch at a time; returns the keys whose image could not be read. */
async function embedMissing(
  ctx: CandidateContext,
  trainer: HeadTrainer,
  cache: Awaited<ReturnType<typeof openEmbeddingCache>>,
  rows: readonly LabelRow[],
  missing: ReadonlySet<string>,
  report: (event: CandidateEvent) => Promise<void>,
  counts: { hits: number; misses: number },
): Promise<Set<string>> {
  const byKey = new Map(rows.filter((r) => missing.has(r.masterSha256!)).map((r) => [r.masterSha256!, r]));
  const keys = [...byKey.keys()];
  const unavailable = new Set<string>();
  await report({ kind: "embedding", done: 0, total: keys.length, ...counts });
  for (let start = 0; start < keys.length; start += 32) {
    const batch: { key: string; image: LabelledImage["image"] }[] = [];
    for (const key of keys.slice(start, start + 32)) {
      const row = byKey.get(key)!;
      try {
        batch.push({ key, image: await loadMaster(ctx.storage, { id: row.imageId, masterSha256: key }) });
      } catch (error) {
        if (!(error instanceof ImageUnavailableError)) throw error;
        unavailable.add(key);
      }
    }
    const x = await trainer.embed(batch.map((b) => b.image));
    batch.forEach((b, i) => cache.add(b.key, x.slice(i * trainer.size, (i + 1) * trainer.size)));
    await report({
      kind: "embedding",
      done: Math.min(keys.length, start + 32),
      total: keys.length,
      ...counts,
    });
  }
  return unavailable;
}
