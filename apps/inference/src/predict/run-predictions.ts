// The predict job: probabilities and Grad-CAM maps for a batch of (image, model version) pairs, stored once.
import { lockKey, withAdvisoryLock } from "@cxr/domain";
import type { GradcamRequest } from "@cxr/inference-api";
import type { Deps } from "../deps";
import type { GrayImage, LoadedModel } from "../engine/types";
import { ImageUnavailableError, loadMaster, storeHeatMap } from "../storage/images";
import { scoreNewMaps } from "./cam-roi";
import type { PredictJob } from "./schemas";

/** Runs the jobs of one fetched batch; images already predicted for their version are not run again. */
export async function runPredictions(deps: Deps, jobs: readonly PredictJob[]): Promise<void> {
  const byVersion = new Map<string, PredictJob[]>();
  for (const job of jobs)
    byVersion.set(job.modelVersionId, [...(byVersion.get(job.modelVersionId) ?? []), job]);
  for (const [versionId, group] of byVersion) {
    const exists = await deps.db.modelVersion.count({ where: { id: versionId } });
    if (!exists) continue; // a version deleted since: nothing to do, nothing to retry
    // one image twice in a batch (two explain requests): separate rounds, each with distinct images
    const rounds: PredictJob[][] = [];
    for (const job of group) {
      const round = rounds.find((r) => !r.some((j) => j.imageId === job.imageId));
      if (round) round.push(job);
      else rounds.push([job]);
    }
    for (const round of rounds)
      await deps.models.use(versionId, (model) => predictGroup(deps, versionId, model, round));
  }
}

/** Label-set class indices whose maps a request wants, given the predicted class; only classes the model has. */
export function wantedClasses(
  request: GradcamRequest,
  classKeys: readonly string[],
  predicted: number,
  modelKeys: readonly string[],
): number[] {
  const has = (i: number) => i >= 0 && modelKeys.includes(classKeys[i] ?? "");
  if (request === "none") return [];
  if (request === "predicted") return [predicted].filter(has);
  if (request === "all") return classKeys.map((_, i) => i).filter(has);
  return request.map((key) => classKeys.indexOf(key)).filter(has);
}

const argMax = (values: readonly number[]) =>
  values.reduce((best, v, i, all) => (v > (all[best] ?? -Infinity) ? i : best), 0);

async function predictGroup(
  deps: Deps,
  versionId: string,
  model: LoadedModel,
  jobs: readonly PredictJob[],
): Promise<void> {
  const classes = await deps.db.labelClass.findMany({
    where: { labelSet: { modelVersions: { some: { id: versionId } } } },
    orderBy: { index: "asc" },
  });
  const classKeys = classes.map((c) => c.key);
  // the model's outputs in label-set order (a class the model does not know gets probability 0)
  const outputOf = classKeys.map((key) => model.classes.indexOf(key));
  const toLabelSet = (p: readonly number[]) => outputOf.map((o) => (o >= 0 ? (p[o] ?? 0) : 0));
  const unique = jobs;
  // counted once the transaction commits: a rolled-back attempt is retried and must not count twice
  const done = { batches: 0, images: 0, gradcams: 0 };
  // predictions that got new maps: scored against readers' ROIs once committed
  const scored = new Set<string>();
  await deps.db.$transaction(
    async (tx) => {
      // Another replica, or an explain job, working on the same pair waits here and then finds it stored.
      const keys = unique.map((j) => lockKey("prediction", j.imageId, j.modelVersionId));
      for (const key of keys.sort()) await withAdvisoryLock(tx, key);
      const ids = unique.map((j) => j.imageId);
      const [images, existing] = await Promise.all([
        tx.image.findMany({ where: { id: { in: ids } }, select: { id: true, masterSha256: true } }),
        tx.prediction.findMany({
          where: { modelVersionId: versionId, imageId: { in: ids } },
          include: { gradCamMaps: { select: { classId: true, targetLayer: true, method: true } } },
        }),
      ]);
      const imageById = new Map(images.map((i) => [i.id, i]));
      const stored = new Map(existing.map((p) => [p.imageId, p]));

      // what each job still needs: the prediction itself and/or some maps
      const pixels = new Map<string, GrayImage>();
      const needPixels = unique.filter(
        (j) => imageById.has(j.imageId) && (!stored.has(j.imageId) || missingMaps(j).length > 0),
      );
      for (const job of needPixels) {
        try {
          pixels.set(job.imageId, await loadMaster(deps.storage, imageById.get(job.imageId)!));
        } catch (error) {
          if (!(error instanceof ImageUnavailableError)) throw error;
          await tx.image.update({
            where: { id: job.imageId },
            data: { status: "FAILED", error: error.message },
          });
        }
      }

      const toPredict = unique.filter((j) => !stored.has(j.imageId) && pixels.has(j.imageId));
      if (toPredict.length > 0) {
        const started = performance.now();
        const scores = await model.predict(toPredict.map((j) => pixels.get(j.imageId)!));
        const perImageMs = Math.round((performance.now() - started) / toPredict.length);
        done.batches++;
        done.images += toPredict.length;
        for (const [i, job] of toPredict.entries()) {
          const s = scores[i]!;
          const probabilities = toLabelSet(s.probabilities);
          const best = argMax(probabilities);
          const prediction = await tx.prediction.create({
            data: {
              imageId: job.imageId,
              modelVersionId: versionId,
              probabilities,
              predictedClassId: classes[best]!.id,
              confidence: probabilities[best] ?? 0,
              entropy: s.entropy,
              margin: s.margin,
              leastConfidence: s.leastConfidence,
              bald: s.bald,
              durationMs: perImageMs,
            },
          });
          stored.set(job.imageId, { ...prediction, gradCamMaps: [] });
        }
      }

      // Grad-CAM: pass k computes the k-th missing class of every image (per layer), so each image keeps its own
      // channel weights and one model call serves the whole batch
      const pending = unique
        .filter((j) => pixels.has(j.imageId))
        .map((j) => ({
          job: j,
          layer: j.targetLayer ?? model.targetLayer,
          method: j.method ?? "GRADCAM",
          classes: missingMaps(j),
        }))
        .filter((p) => p.classes.length > 0);
      // one model call per layer and variant
      const passes = new Map(pending.map((p) => [`${p.method}:${p.layer}`, p] as const));
      for (const { layer, method } of passes.values()) {
        const atLayer = pending.filter((p) => p.layer === layer && p.method === method);
        for (let k = 0; atLayer.some((p) => p.classes.length > k); k++) {
          const pass = atLayer.filter((p) => p.classes.length > k);
          const maps = await model.gradcam(
            pass.map((p) => pixels.get(p.job.imageId)!),
            pass.map((p) => outputOf[p.classes[k]!]!),
            layer,
            method === "GUIDED_GRADCAM" ? "guided" : "standard",
          );
          done.gradcams += pass.length;
          for (const p of pass) scored.add(stored.get(p.job.imageId)!.id);
          for (const [i, p] of pass.entries()) {
            const map = maps[i]!;
            // the object registry is idempotent and outside the transaction: held row locks on shared
            // (identical) maps made concurrent replicas deadlock
            const mapSha256 = await storeHeatMap(deps.storage, deps.db, map);
            await tx.gradCamMap.create({
              data: {
                predictionId: stored.get(p.job.imageId)!.id,
                classId: classes[p.classes[k]!]!.id,
                targetLayer: layer,
                method,
                mapSha256,
                width: map.width,
                height: map.height,
              },
            });
          }
        }
      }
      await tx.image.updateMany({
        where: { id: { in: [...stored.keys()] }, status: "PENDING" },
        data: { status: "READY", error: null },
      });
      // in the transaction: once a caller sees the map, its figures against the readers' ROIs are there too
      await scoreNewMaps(deps, tx, [...scored]);
      await deps.checkpoint?.("predictions-written");

      function missingMaps(job: PredictJob): number[] {
        const prediction = stored.get(job.imageId);
        const predicted = prediction ? classes.findIndex((c) => c.id === prediction.predictedClassId) : -1;
        if (prediction === undefined) return [];
        const have = new Set(
          prediction.gradCamMaps
            .filter(
              (m) =>
                m.targetLayer === (job.targetLayer ?? model.targetLayer) &&
                m.method === (job.method ?? "GRADCAM"),
            )
            .map((m) => m.classId),
        );
        return wantedClasses(job.gradcam, classKeys, predicted, model.classes).filter(
          (i) => !have.has(classes[i]!.id),
        );
      }
    },
    { timeout: deps.config.jobTimeoutSeconds * 1000, maxWait: 60_000 },
  );
  deps.stats.predictBatches += done.batches;
  deps.stats.predictedImages += done.images;
  deps.stats.gradcams += done.gradcams;
}
