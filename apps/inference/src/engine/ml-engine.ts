// The MlEngine over @cxr/ml: model version folders (checksummed), batched prediction with active-learning
// scores, Grad-CAM, training through ml's own pipeline, and its metrics.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import {
  activeLearningScores,
  disposeClassifier,
  FeatureMemo,
  encodeGray16,
  encodeGray8,
  computeMetrics,
  gradCam,
  loadModelVersion,
  mcDropoutProbs,
  openHeadSession,
  type HeadSession,
  phantoms,
  predictWithEmbeddings,
  preprocess,
  splitByPatient,
  trainModelVersion,
} from "@cxr/ml";
import {
  ChecksumMismatchError,
  type EpochProgress,
  type EvaluationMetrics,
  type HeadTrainer,
  type LoadedModel,
  type MlEngine,
  type StepProgress,
  type TrainRequest,
} from "./types";

export interface MlEngineOptions {
  /** Monte-Carlo dropout passes for BALD (0: no BALD, one backbone pass fewer per prediction) */
  baldSamples?: number;
  /** bootstrap iterations for the confidence intervals of an evaluation */
  bootstrapIterations?: number;
}

class Cancelled extends Error {}

/**
 * ml's progress callbacks over the engine's: ml calls them synchronously and goes on, so a receiver's rejection
 * (cancel) is remembered and stops training at the next batch or epoch.
 */
function progressCallbacks(receiver: Pick<TrainRequest, "onEpoch" | "onStep">) {
  let cancelled = false;
  const send = (deliver: () => Promise<void> | void) => {
    if (cancelled) throw new Cancelled("training cancelled");
    void Promise.resolve(deliver()).catch(() => (cancelled = true));
  };
  return {
    cancelled: () => cancelled,
    callbacks: {
      onEpoch: (record: Parameters<typeof epochOf>[0]) => send(() => receiver.onEpoch?.(epochOf(record))),
      onStep: (step: StepProgress) => send(() => receiver.onStep?.({ ...step })),
    },
  };
}

export function createMlEngine(options: MlEngineOptions = {}): MlEngine {
  const baldSamples = options.baldSamples ?? 10;
  const engine: MlEngine = {
    async load(dir, checksum): Promise<LoadedModel> {
      // loadModelVersion verifies every file against checksums.json; the digest ties that file to the registry
      const { classifier, version } = await loadModelVersion(dir);
      if (version.digest !== checksum) {
        disposeClassifier(classifier);
        throw new ChecksumMismatchError(dir, checksum, version.digest);
      }
      const memo = new FeatureMemo();
      return {
        classes: classifier.classes,
        targetLayer: classifier.targetLayer,
        async predict(images) {
          // one backbone pass per batch for probabilities, embeddings and the Grad-CAM that follows (the memo)
          const { probs, embeddings } = await predictWithEmbeddings(classifier, images, { memo });
          const samples =
            baldSamples > 0
              ? await mcDropoutProbs(classifier, embeddings, images.length, { samples: baldSamples })
              : null;
          return probs.map((p, i) => {
            const s = activeLearningScores(
              p,
              samples ? { mcSamples: samples.map((sample) => sample[i]!) } : {},
            );
            return {
              probabilities: Array.from(p),
              entropy: s.entropy,
              margin: s.margin,
              leastConfidence: s.least_confidence,
              bald: s.bald ?? null,
            };
          });
        },
        async gradcam(images, classIndex, targetLayer, variant) {
          const batch = preprocess(images, classifier);
          // the backbone's outputs of these images' prediction, where it ran on ONNX Runtime
          const features = memo.batch(images, targetLayer ?? classifier.targetLayer);
          try {
            const result = await gradCam(classifier, batch, {
              classIndex,
              ...(targetLayer ? { targetLayer } : {}),
              ...(variant ? { variant } : {}),
              ...(features ? { features } : {}),
            });
            return result.maps;
          } finally {
            batch.dispose();
          }
        },
        dispose: () => disposeClassifier(classifier),
      };
    },

    // ml trains from a data-set folder; the service's TRAIN and VALIDATION images are written into one (the
    // locked TEST images never are), with no test share, and the validation share as the service split them
    async train(request: TrainRequest) {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), "cxr-train-"));
      const progress = progressCallbacks(request);
      try {
        await mkdir(path.join(dataDir, "images"));
        await mkdir(path.join(dataDir, "masks"));
        const rows = ["file,label,patient_id"];
        // rows ordered by the label set, so the model's classes come out in label-set order
        const ordered = [...request.train, ...request.validation].sort(
          (a, b) => request.classes.indexOf(a.classKey) - request.classes.indexOf(b.classKey),
        );
        for (const [i, example] of ordered.entries()) {
          const file = `images/${i}.png`;
          await writeFile(path.join(dataDir, file), encodeGray16(example.image));
          // ml finds an image's mask at masks/<its file name> and guides full training towards it
          if (example.roiMask)
            await writeFile(path.join(dataDir, "masks", `${i}.png`), await encodeGray8(example.roiMask));
          rows.push(`${file},${csv(example.classKey)},${csv(example.patientId)}`);
        }
        await writeFile(path.join(dataDir, "labels.csv"), rows.join("\n") + "\n");
        const total = request.train.length + request.validation.length;
        const { version, initialWeights } = await trainModelVersion({
          dataDir,
          outDir: request.outDir,
          arch: request.architecture,
          mode: request.mode,
          epochs: request.epochs,
          seed: request.seed ?? 42,
          // fine-tuning: the parent's weights, refused when its folder no longer matches the registry
          ...(request.parent ? { fromDir: request.parent.dir, fromChecksum: request.parent.checksum } : {}),
          ...(request.batchSize !== undefined ? { batchSize: request.batchSize } : {}),
          ...(request.roiWeight !== undefined ? { roiWeight: request.roiWeight } : {}),
          ...(request.weightsDir ? { weightsDir: request.weightsDir } : {}),
          testFraction: 0,
          valFraction: total ? request.validation.length / total : 0,
          ...progress.callbacks,
        });
        if (progress.cancelled()) {
          await rm(request.outDir, { recursive: true, force: true });
          throw new Cancelled("training cancelled");
        }
        return {
          checksum: version.digest,
          classes: version.version.classes,
          targetLayer: version.version.targetLayer,
          inputSize: version.version.inputSize[0],
          roiGuidedImages: roiGuidedImages(version.version.training),
          initialWeightsDigest: initialWeights,
          history: version.history.map(epochOf),
        };
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },

    async evaluate(model, examples): Promise<EvaluationMetrics> {
      const known = examples.filter((e) => model.classes.includes(e.classKey));
      if (known.length === 0) throw new Error("no test images of the model's classes");
      const probs = await model.predict(known.map((e) => e.image));
      return engine.metrics(
        model.classes,
        probs.map((p) => p.probabilities),
        known,
      );
    },

    metrics(classes, probabilities, truth): EvaluationMetrics {
      const report = computeMetrics(
        probabilities,
        truth.map((e) => classes.indexOf(e.classKey)),
        [...classes],
        // the bootstrap resamples patients, as the split does
        { groups: truth.map((e) => e.patientId), bootstrapIterations: options.bootstrapIterations ?? 200 },
      );
      return {
        classes: report.classes,
        count: report.n,
        accuracy: report.accuracy,
        macroF1: report.macro_f1,
        ece: report.ece,
        aucOvrMacro: report.auc_ovr_macro,
        kappa: report.kappa,
        perClass: Object.fromEntries(
          Object.entries(report.per_class).map(([k, c]) => [
            k,
            { precision: c.precision, recall: c.recall, specificity: c.specificity, f1: c.f1, auc: c.auc },
          ]),
        ),
        confusionMatrix: report.confusion_matrix,
        ci95: report.ci95,
        roc: report.roc,
        pr: report.pr,
        reliability: report.reliability,
      };
    },

    async openHead(parent): Promise<HeadTrainer> {
      let session: HeadSession;
      try {
        session = await openHeadSession(parent.dir, parent.checksum);
      } catch (error) {
        if (error instanceof Error && /does not match its checksum/.test(error.message))
          throw new ChecksumMismatchError(parent.dir, parent.checksum, "another digest");
        throw error;
      }
      let seed = 42;
      let batchSize: number | undefined;
      return {
        cacheKey: session.cacheKey,
        size: session.size,
        classes: session.classes,
        embed: (images) => session.embed(images),
        async fit(train, validation, o) {
          seed = o.seed;
          batchSize = o.batchSize;
          const progress = progressCallbacks(o);
          const history = await session.fit(train, validation, {
            epochs: o.epochs,
            seed: o.seed,
            ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
            ...progress.callbacks,
          });
          if (progress.cancelled()) throw new Cancelled("training cancelled");
          return history.map(epochOf);
        },
        async probabilities(head, x) {
          return (await session.probabilities(head, x)).map((p) => Array.from(p));
        },
        async write(outDir, split) {
          const written = await session.write(
            outDir,
            {
              seed,
              ...(batchSize !== undefined ? { batchSize } : {}),
              images: { train: split.train.length },
            },
            split,
          );
          return {
            checksum: written.digest,
            classes: [...session.classes],
            targetLayer: written.targetLayer,
            inputSize: written.inputSize,
            history: written.history.map(epochOf),
            roiGuidedImages: 0,
            initialWeightsDigest: session.parentWeights,
          };
        },
        dispose: () => session.dispose(),
      };
    },

    splitPatients(rows, lockedTest) {
      const split = splitByPatient(rows, { lockedTest });
      return { train: split.train, val: split.val, test: split.test };
    },

    async *phantoms(opts) {
      for (const p of phantoms({ count: opts.count, seed: opts.seed, size: opts.size })) {
        yield { png: await encodeGray8(p.image), label: p.label, patientId: p.patientId, mask: p.mask };
      }
    },
  };
  return engine;
}

/** ml's history record (Keras' keys) as the service's epoch figures. */
function epochOf(r: {
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss: number | null;
  val_accuracy: number | null;
  learning_rate: number;
  seconds: number;
}): EpochProgress {
  return {
    epoch: r.epoch,
    loss: r.loss,
    accuracy: r.accuracy,
    valLoss: r.val_loss,
    valAccuracy: r.val_accuracy,
    learningRate: r.learning_rate,
    seconds: r.seconds,
  };
}

const csv = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** How many training images ml's ROI guidance used, from the version's training record. */
function roiGuidedImages(training: Record<string, unknown>): number {
  const parsed = z
    .object({ roi_guidance: z.object({ images: z.number().int().nonnegative() }).nullable() })
    .safeParse(training);
  return parsed.success ? (parsed.data.roi_guidance?.images ?? 0) : 0;
}
