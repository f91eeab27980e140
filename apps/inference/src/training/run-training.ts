// The train job: learn on TRAIN/VALIDATION patients, write the version folder atomically, evaluate it and the
// champion on the locked TEST patients, then register it, record the gate's verdict, promote it when the gate
// passes and end the run, all in one transaction: a kill at any point leaves either all of that or none of it.
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { recordAudit, type Prisma } from "@cxr/db";
import { lockKey, withAdvisoryLock } from "@cxr/domain";
import type { EpochFigures, TrainingData } from "@cxr/inference-api";
import { z } from "zod";
import type { Deps } from "../deps";
import type { EpochProgress, EvaluationMetrics } from "../engine/types";
import { applyGate } from "../evaluation/gate";
import { enqueueRescore } from "../predict/enqueue";
import { architectureToDb, changeChampion, lockChampion } from "../models/registry";
import { trainingParamsSchema, type TrainingProgress } from "./schemas";
import { trainCandidate, type CandidateEvent, type CandidateOutcome, type CandidatePlan } from "./candidate";
import { ChildStopped, trainInChild } from "./child-trainer";
import { pretrainedBackboneFor } from "../backbones/registry";
import {
  assignSplits,
  labelRows,
  loadLabelled,
  trainingData,
  trainingReaders,
  type LabelRow,
} from "./dataset";
import { holdRunLease } from "./stale";
import { parentVersionFor, type ParentVersion } from "./parent";

export const trainJobSchema = z.object({ runId: z.string().min(1) });

class RunCancelled extends Error {}

/** How often a running run's heartbeat is written (and a cancel noticed while an epoch runs in a child). */
const heartbeatMs = 2_000;
/** batch progress is written at most this often */
const stepWriteMs = 1_000;

const archFromDb = Object.fromEntries(Object.entries(architectureToDb).map(([k, v]) => [v, k])) as Record<
  string,
  keyof typeof architectureToDb
>;

export async function runTraining(
  deps: Deps,
  input: z.infer<typeof trainJobSchema>,
): Promise<{ status: string; modelVersionId?: string }> {
  // The run's lease, held while this process lives, tells other replicas its worker is alive however long an
  // epoch blocks this thread (see stale.ts). Taken before the run turns RUNNING, so a RUNNING run's live worker
  // always holds it.
  const lease = await holdRunLease(deps.databaseUrl, input.runId);
  try {
    return await claimAndTrain(deps, input);
  } finally {
    await lease.release();
  }
}

async function claimAndTrain(
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
  // stops a child process that is busy in an epoch when the run leaves RUNNING (cancelled, or marked interrupted)
  const stop = new AbortController();
  const heartbeat = setInterval(() => {
    void db.trainingRun
      .updateMany({ where: { id: run.id, status: "RUNNING" }, data: { heartbeatAt: new Date() } })
      .then(({ count }) => {
        if (count === 0) stop.abort();
      })
      .catch(() => {});
  }, heartbeatMs);
  const setProgress = (progress: TrainingProgress, extra: Prisma.TrainingRunUpdateManyMutationInput = {}) =>
    db.trainingRun.updateMany({
      where: { id: run.id, status: "RUNNING" },
      data: { progress: progress as unknown as Prisma.InputJsonValue, heartbeatAt: new Date(), ...extra },
    });
  try {
    // checked again now: the champion may have changed (or gone) since the run was started
    const parent = await parentVersionFor(db, run);
    const base = { epochs: run.epochs, parentModelVersionId: parent?.id ?? null };
    await setProgress({ phase: "loading", epoch: 0, ...base });
    const rows = await assignSplits(deps, await labelRows(db, run.labelSetId, run.labelSources));
    if (!rows.some((r) => r.split === "TRAIN"))
      throw new Error("no labelled images in the training split: import or label some first");
    await mkdir(deps.config.modelsDir, { recursive: true });
    const champion = await db.modelVersion.findFirst({
      where: { labelSetId: run.labelSetId, status: "CHAMPION" },
      select: { id: true, storageUri: true, checksum: true },
    });
    const started = Date.now();
    const history: EpochProgress[] = [];
    let embeddingCache: TrainingProgress["embeddingCache"];
    let lastEmbeddingWrite = 0;
    let batch: TrainingProgress["batch"];
    let lastStepWrite = 0;
    const clock = batchClock(run.epochs);
    // the row left RUNNING: cancelled (or marked interrupted); stop here
    const stopUnlessRunning = ({ count }: { count: number }) => {
      if (count === 0) throw new RunCancelled();
    };
    const architecture = archFromDb[run.architecture] ?? "compact";
    // from scratch, a transfer architecture starts from its registered pretrained (ImageNet) backbone when there is one
    const pretrained = run.mode === "FROM_SCRATCH" ? await pretrainedBackboneFor(deps, architecture) : null;
    const plan: CandidatePlan = {
      mode: run.mode,
      architecture,
      classes: run.labelSet.classes.map((c) => c.key),
      rows,
      epochs: run.epochs,
      seed: params.seed,
      ...(params.batchSize !== undefined ? { batchSize: params.batchSize } : {}),
      ...(params.roiWeight !== undefined ? { roiWeight: params.roiWeight } : {}),
      parent,
      ...(pretrained ? { weightsDir: pretrained.dir } : {}),
      champion: champion ? { id: champion.id, dir: champion.storageUri, checksum: champion.checksum } : null,
      outDir: tmpDir,
    };
    const write = async (event: CandidateEvent) => {
      if (event.kind === "embedding") {
        embeddingCache = { hits: event.hits, misses: event.misses };
        // at most a write a second while embedding thousands of images
        if (event.done < event.total && Date.now() - lastEmbeddingWrite < 1000) return;
        lastEmbeddingWrite = Date.now();
        stopUnlessRunning(
          await setProgress({
            phase: "embedding",
            epoch: 0,
            ...base,
            step: { done: event.done, total: event.total },
            embeddingCache,
          }),
        );
      } else if (event.kind === "step") {
        batch = { epoch: event.epoch, step: event.step, stepsPerEpoch: event.stepsPerEpoch };
        const eta = clock.eta(batch);
        // at most a write a second: a small head's batches take milliseconds
        if (Date.now() - lastStepWrite < stepWriteMs) return;
        lastStepWrite = Date.now();
        stopUnlessRunning(
          await setProgress({
            ...trainingProgress(history, base, started, batch, eta),
            ...(embeddingCache ? { embeddingCache } : {}),
          }),
        );
      } else if (event.kind === "epoch") {
        history.push(event.epoch);
        // the epoch's batches are all done; the next step report starts the next epoch
        if (batch) batch = { ...batch, epoch: event.epoch.epoch, step: batch.stepsPerEpoch };
        stopUnlessRunning(
          await setProgress(
            {
              ...trainingProgress(history, base, started, batch, batch && clock.eta(batch)),
              ...(embeddingCache ? { embeddingCache } : {}),
            },
            { currentEpoch: event.epoch.epoch },
          ),
        );
      } else {
        stopUnlessRunning(
          await setProgress({
            phase: "evaluating",
            epoch: run.epochs,
            ...base,
            history: history.map(epochFigures),
            ...(embeddingCache ? { embeddingCache } : {}),
          }),
        );
      }
    };
    // one write at a time, in order: the in-process engine reports batches without waiting for the last write
    let writes: Promise<void> = Promise.resolve();
    const report = (event: CandidateEvent) => {
      const next = writes.then(() => write(event));
      writes = next.catch(() => {});
      return next;
    };
    const outcome = deps.config.training
      ? await trainInChild(deps.config.training, { plan, databaseUrl: deps.databaseUrl }, report, stop.signal)
      : await trainCandidate(deps, plan, report);

    // publish: folder first (atomic rename), then the row; a crash in between leaves an unregistered folder,
    // which the next start removes (removeAbandonedFolders)
    finalDir = path.join(deps.config.modelsDir, run.labelSet.name, run.id);
    await mkdir(path.dirname(finalDir), { recursive: true });
    await rename(tmpDir, finalDir);
    const { version, promoted } = await register(deps, {
      run,
      outcome,
      testRows: rows.filter((r) => r.split === "TEST"),
      dir: finalDir,
      data: trainingData(rows),
      readers: trainingReaders(rows),
      parent,
    });
    registered = true;
    if (promoted) {
      // after the commit; a kill here is made good by the next upkeep (warm champions, rescore pending images)
      await deps.models.warmChampions();
      await enqueueRescore(deps, version.id);
    }
    return { status: "SUCCEEDED", modelVersionId: version.id };
  } catch (error) {
    await rm(tmpDir, { recursive: true, force: true });
    // published but never registered (cancelled at the last moment): nothing may point at it, remove it
    if (finalDir && !registered) await rm(finalDir, { recursive: true, force: true });
    if (error instanceof RunCancelled || error instanceof ChildStopped) return { status: "CANCELLED" };
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

type RunWithLabelSet = Prisma.TrainingRunGetPayload<{
  include: { labelSet: { include: { classes: true } } };
}>;

/** A transaction's outcome when the champion it was to be compared with is no longer the champion. */
const championChanged = Symbol("champion changed");

/**
 * Registers the candidate, records the gate's verdict against the champion that is current under the champion
 * lock, promotes it when the gate passes and ends the run: one transaction. The champion is measured outside the
 * transaction (it takes a while); if another promotion changed the champion meanwhile, the new one is measured
 * and the gate applied again, so a candidate is never promoted over a champion it was not compared with.
 */
async function register(
  deps: Deps,
  args: {
    run: RunWithLabelSet;
    /** the candidate, its test figures and the champion's when the run started */
    outcome: CandidateOutcome;
    /** the locked test rows, loaded only when a champion that changed meanwhile must be measured again */
    testRows: readonly LabelRow[];
    dir: string;
    data: TrainingData;
    /** labels per reader (user id) among what it learned from */
    readers: Record<string, number>;
    /** the version the run started from; from scratch, the lineage names the champion it was compared with */
    parent: ParentVersion | null;
  },
) {
  const { db } = deps;
  const { run, outcome: candidate, testRows } = args;
  const { result, candidateMetrics } = candidate;
  const params = trainingParamsSchema.parse(run.params);
  const championOf = (tx: Pick<Deps["db"], "modelVersion">) =>
    tx.modelVersion.findFirst({ where: { labelSetId: run.labelSetId, status: "CHAMPION" } });
  for (let attempt = 1; ; attempt++) {
    const measured = await championOf(db);
    // the champion faces the same test cases as the candidate: measured by the run when it was the champion
    // then, else measured here on today's test split
    const championMetrics = !measured
      ? null
      : candidate.champion?.id === measured.id
        ? candidate.champion.metrics
        : await measureChampion(deps, measured.id, testRows);
    const gate = candidateMetrics ? applyGate(deps.config.gate, candidateMetrics, championMetrics) : null;
    const outcome = await db.$transaction(
      async (tx) => {
        await lockChampion(tx, run.labelSetId);
        const champion = await championOf(tx);
        if ((champion?.id ?? null) !== (measured?.id ?? null)) return championChanged;
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
            storageUri: args.dir,
            checksum: result.checksum,
            metrics: {
              test: candidateMetrics,
              champion: champion ? { id: champion.id, test: championMetrics } : null,
              gate,
              data: args.data,
              readers: args.readers,
            } as unknown as Prisma.InputJsonValue,
            history: result.history as unknown as Prisma.InputJsonValue,
            trainingRunId: run.id,
            parentId: args.parent?.id ?? champion?.id ?? null,
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
              history: result.history.map(epochFigures),
              parentModelVersionId: args.parent?.id ?? null,
              ...(candidate.embeddingCache ? { embeddingCache: candidate.embeddingCache } : {}),
              ...(candidate.skippedLabels !== undefined ? { skippedLabels: candidate.skippedLabels } : {}),
              modelVersionId: created.id,
              gatePassed: gate?.passed ?? false,
              roiGuidedImages: result.roiGuidedImages,
            } satisfies TrainingProgress,
          },
        });
        if (done.count === 0) throw new RunCancelled();
        await recordAudit(tx, {
          action: "model.created",
          entityType: "ModelVersion",
          entityId: created.id,
          after: { version: number, trainingRunId: run.id, gatePassed: gate?.passed ?? null },
        });
        if (gate?.passed && params.autoPromote)
          await changeChampion(tx, created, {
            action: "model.promoted",
            actorId: null,
            reason: "promotion gate passed on the locked test split",
          });
        await deps.checkpoint?.("model-registered");
        return { version: created, promoted: (gate?.passed ?? false) && params.autoPromote };
      },
      { timeout: 60_000, maxWait: 60_000 },
    );
    if (outcome !== championChanged) return outcome;
    if (attempt >= 5) throw new Error("the champion kept changing while this run was evaluated: train again");
  }
}

/** One epoch as the progress column's history keeps it. */
function epochFigures(p: EpochProgress): EpochFigures {
  return {
    epoch: p.epoch,
    loss: p.loss,
    accuracy: p.accuracy,
    valLoss: p.valLoss,
    valAccuracy: p.valAccuracy,
    learningRate: p.learningRate ?? null,
    seconds: p.seconds,
  };
}

type Batch = NonNullable<TrainingProgress["batch"]>;

/**
 * Seconds left from the batch rate: the time since the first batch reported over the batches done since, times
 * the batches left of every planned epoch (early stopping can only make it shorter). Undefined until two are seen.
 */
export function batchClock(epochs: number, now: () => number = Date.now) {
  let first: { at: number; done: number } | undefined;
  return {
    eta(b: Batch): number | undefined {
      const done = (b.epoch - 1) * b.stepsPerEpoch + b.step;
      if (!first) {
        first = { at: now(), done };
        return undefined;
      }
      if (done <= first.done) return undefined;
      const perBatch = (now() - first.at) / 1000 / (done - first.done);
      return Math.round(perBatch * Math.max(0, epochs * b.stepsPerEpoch - done));
    },
  };
}

/** The training phase's progress: the last finished epoch's figures, the batch under way and the ETA. */
function trainingProgress(
  history: readonly EpochProgress[],
  base: { epochs: number; parentModelVersionId: string | null },
  started: number,
  batch: Batch | undefined,
  batchEta: number | undefined,
): TrainingProgress {
  const p = history.at(-1);
  const finished = p?.epoch ?? 0;
  const elapsed = (Date.now() - started) / 1000;
  // without batch reports (an engine that gives none) the ETA comes from the epochs' rate
  const etaSeconds =
    batchEta ?? (p ? Math.round((elapsed / finished) * (base.epochs - finished)) : undefined);
  return {
    phase: "training",
    epoch: finished,
    ...base,
    ...(p
      ? {
          loss: p.loss,
          accuracy: p.accuracy,
          valLoss: p.valLoss,
          valAccuracy: p.valAccuracy,
          learningRate: p.learningRate ?? null,
        }
      : {}),
    step: { done: finished, total: base.epochs },
    ...(batch ? { batch } : {}),
    ...(etaSeconds !== undefined ? { etaSeconds } : {}),
    history: history.map(epochFigures),
  };
}

async function measureChampion(
  deps: Deps,
  championId: string,
  testRows: readonly LabelRow[],
): Promise<EvaluationMetrics | null> {
  const test = await loadLabelled(deps, testRows);
  if (test.length === 0) return null;
  return deps.models.use(championId, (m) => deps.engine.evaluate(m, test));
}
