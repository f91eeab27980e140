// The train job: learn on TRAIN/VALIDATION patients, write the version folder atomically, evaluate it and the
// champion on the locked TEST patients, register it, and promote it when the gate passes.
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { recordAudit, type Prisma } from "@cxr/db";
import { lockKey, withAdvisoryLock } from "@cxr/domain";
import { z } from "zod";
import type { Deps } from "../deps";
import type { EpochProgress, EvaluationMetrics, LabelledImage, TrainResult } from "../engine/types";
import { applyGate, type GateResult } from "../evaluation/gate";
import { enqueueRescore } from "../predict/enqueue";
import { architectureToDb, promoteModel } from "../models/registry";
import { trainingParamsSchema, type TrainingProgress } from "./schemas";
import { assignSplits, labelRows, loadLabelled } from "./dataset";

export const trainJobSchema = z.object({ runId: z.string().min(1) });

class RunCancelled extends Error {}

const archFromDb = Object.fromEntries(Object.entries(architectureToDb).map(([k, v]) => [v, k])) as Record<
  string,
  keyof typeof architectureToDb
>;

export async function runTraining(
  deps: Deps,
  input: z.infer<typeof trainJobSchema>,
): Promise<{ status: string; modelVersionId?: string }> {
  const { db } = deps;
  // claim: only a QUEUED run starts (a cancelled or already-claimed one is left alone)
  const claimed = await db.trainingRun.updateMany({
    where: { id: input.runId, status: "QUEUED" },
    data: {
      status: "RUNNING",
      workerId: deps.config.workerId,
      startedAt: new Date(),
      heartbeatAt: new Date(),
    },
  });
  if (claimed.count === 0) return { status: "skipped" };
  const run = await db.trainingRun.findUniqueOrThrow({
    where: { id: input.runId },
    include: { labelSet: { include: { classes: { orderBy: { index: "asc" } } } } },
  });
  const params = trainingParamsSchema.parse(run.params);
  const tmpDir = path.join(deps.config.modelsDir, `.tmp-${run.id}-${randomBytes(4).toString("hex")}`);
  let finalDir: string | undefined;
  let registered = false;
  const heartbeat = setInterval(() => {
    void db.trainingRun
      .updateMany({ where: { id: run.id, status: "RUNNING" }, data: { heartbeatAt: new Date() } })
      .catch(() => {});
  }, 10_000);
  const setProgress = (progress: TrainingProgress, extra: Prisma.TrainingRunUpdateManyMutationInput = {}) =>
    db.trainingRun.updateMany({
      where: { id: run.id, status: "RUNNING" },
      data: { progress: progress as unknown as Prisma.InputJsonValue, heartbeatAt: new Date(), ...extra },
    });
  try {
    await setProgress({ phase: "loading", epoch: 0, epochs: run.epochs });
    const rows = await assignSplits(deps, await labelRows(db, run.labelSetId, run.labelSources));
    const train = await loadLabelled(
      deps,
      rows.filter((r) => r.split === "TRAIN"),
    );
    const validation = await loadLabelled(
      deps,
      rows.filter((r) => r.split === "VALIDATION"),
    );
    if (train.length === 0)
      throw new Error("no labelled images in the training split: import or label some first");

    await mkdir(deps.config.modelsDir, { recursive: true });
    const classes = run.labelSet.classes.map((c) => c.key);
    const started = Date.now();
    const result: TrainResult = await deps.engine.train({
      architecture: archFromDb[run.architecture] ?? "compact",
      mode: run.mode === "FULL_FINE_TUNE" ? "full" : "head",
      classes,
      train,
      validation,
      epochs: run.epochs,
      seed: params.seed,
      outDir: tmpDir,
      onEpoch: async (p: EpochProgress) => {
        const updated = await setProgress(epochProgress(p, run.epochs, started), { currentEpoch: p.epoch });
        // the row left RUNNING: cancelled (or marked interrupted); stop here
        if (updated.count === 0) throw new RunCancelled();
      },
    });

    await setProgress({ phase: "evaluating", epoch: run.epochs, epochs: run.epochs });
    const test = await loadLabelled(
      deps,
      rows.filter((r) => r.split === "TEST"),
    );
    const candidateMetrics = await evaluateDir(deps, tmpDir, result.checksum, test);
    const champion = await db.modelVersion.findFirst({
      where: { labelSetId: run.labelSetId, status: "CHAMPION" },
    });
    // the champion is measured again on today's test split, so both face the same cases
    const championMetrics =
      champion && test.length > 0
        ? await deps.models.use(champion.id, (m) => deps.engine.evaluate(m, test))
        : null;
    const gate: GateResult | null = candidateMetrics
      ? applyGate(deps.config.gate, candidateMetrics, championMetrics)
      : null;

    // publish: folder first (atomic rename), then the row; a crash in between leaves an unregistered folder only
    finalDir = path.join(deps.config.modelsDir, run.labelSet.name, run.id);
    await mkdir(path.dirname(finalDir), { recursive: true });
    await rename(tmpDir, finalDir);
    const publishedDir = finalDir;
    const version = await db.$transaction(async (tx) => {
      // version numbers of a label set are handed out one at a time
      await withAdvisoryLock(tx, lockKey("version", run.labelSetId));
      const last = await tx.modelVersion.aggregate({
        where: { labelSetId: run.labelSetId },
        _max: { version: true },
      });
      const number = (last._max.version ?? 0) + 1;
      const created = await tx.modelVersion.create({
        data: {
          labelSetId: run.labelSetId,
          version: number,
          name: `${run.labelSet.name} v${number} (${archFromDb[run.architecture] ?? run.architecture})`,
          architecture: run.architecture,
          inputSize: result.inputSize,
          targetLayer: result.targetLayer,
          classKeys: result.classes,
          storageUri: publishedDir,
          checksum: result.checksum,
          metrics: {
            test: candidateMetrics,
            champion: champion ? { id: champion.id, test: championMetrics } : null,
            gate,
          } as unknown as Prisma.InputJsonValue,
          history: result.history as unknown as Prisma.InputJsonValue,
          trainingRunId: run.id,
          parentId: champion?.id ?? null,
        },
      });
      const done = await tx.trainingRun.updateMany({
        where: { id: run.id, status: "RUNNING" },
        data: {
          status: "SUCCEEDED",
          finishedAt: new Date(),
          currentEpoch: run.epochs,
          progress: {
            phase: "done",
            epoch: run.epochs,
            epochs: run.epochs,
            modelVersionId: created.id,
            gatePassed: gate?.passed ?? false,
            roiGuidedImages: result.roiGuidedImages,
          },
        },
      });
      if (done.count === 0) throw new RunCancelled();
      await recordAudit(tx, {
        action: "model.created",
        entityType: "ModelVersion",
        entityId: created.id,
        after: { version: number, trainingRunId: run.id, gatePassed: gate?.passed ?? null },
      });
      return created;
    });
    registered = true;
    await deps.checkpoint?.("model-registered");
    if (gate?.passed) {
      await promoteModel(db, { id: version.id, reason: "promotion gate passed on the locked test split" });
      await deps.models.warmChampions();
      await enqueueRescore(deps, version.id);
    }
    return { status: "SUCCEEDED", modelVersionId: version.id };
  } catch (error) {
    await rm(tmpDir, { recursive: true, force: true });
    // published but never registered (cancelled at the last moment): nothing may point at it, remove it
    if (finalDir && !registered) await rm(finalDir, { recursive: true, force: true });
    if (error instanceof RunCancelled) return { status: "CANCELLED" };
    const message = error instanceof Error ? error.message : String(error);
    await db.trainingRun.updateMany({
      where: { id: run.id, status: "RUNNING" },
      data: { status: "FAILED", error: message, finishedAt: new Date() },
    });
    return { status: "FAILED" };
  } finally {
    clearInterval(heartbeat);
  }
}

function epochProgress(p: EpochProgress, epochs: number, started: number): TrainingProgress {
  const elapsed = (Date.now() - started) / 1000;
  return {
    phase: "training",
    epoch: p.epoch,
    epochs,
    loss: p.loss,
    accuracy: p.accuracy,
    valLoss: p.valLoss,
    valAccuracy: p.valAccuracy,
    etaSeconds: Math.round((elapsed / p.epoch) * (epochs - p.epoch)),
  };
}

async function evaluateDir(
  deps: Deps,
  dir: string,
  checksum: string,
  test: readonly LabelledImage[],
): Promise<EvaluationMetrics | null> {
  if (test.length === 0) return null;
  // loading through the checksum check also proves the folder is complete before it is published
  const model = await deps.engine.load(dir, checksum);
  try {
    return await deps.engine.evaluate(model, test);
  } finally {
    model.dispose();
  }
}
