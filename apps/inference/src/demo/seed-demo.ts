// The demo a fresh installation starts with: phantoms imported as patients and studies (the labelled ones with
// their lesion outlines), a compact model trained on the labelled part and guided by those outlines, then
// (through promotion and re-scoring) predictions and Grad-CAMs for all.
// It runs as a queue job, so the service answers at once and a restart picks the job up again.
import { createHash } from "node:crypto";
import { maskToRois, prepareImage } from "@cxr/imaging";
import { loadLabelSet, storeImage } from "@cxr/ingest";
import type { Deps } from "../deps";
import { queueNames } from "../queue/boss";
import { startTraining } from "../training/start";

export interface DemoSettings {
  labelSet: string;
  count: number;
  size: number;
  seed: number;
  epochs: number;
  labelledShare: number;
}

export const demoSettings: DemoSettings = {
  labelSet: "cxr-4class",
  // enough labelled patients for the average-pooled compact model to learn something in 15 epochs (~2 min)
  count: 300,
  size: 256,
  seed: 7,
  // 15 epochs of the ~140 labelled training images are ~255 steps, a third of what the model gets on 600 phantoms, and
  // left it at 0.78 on the locked test with most images called COVID-19; 45 give it about as many steps as there. The
  // run keeps its best epoch and stops early; it trains in the background, so the first start is not slower.
  epochs: 45,
  /** share of patients whose label is imported: the rest waits for readers */
  labelledShare: 2 / 3,
};

/** Queues the demo when the database holds no images and no models (a first start). */
export async function queueDemo(deps: Pick<Deps, "db" | "queue">): Promise<string | null> {
  const [images, models] = await Promise.all([deps.db.image.count(), deps.db.modelVersion.count()]);
  if (images > 0 || models > 0) return null;
  return deps.queue.send(queueNames.demo, {}, { singletonKey: "demo" });
}

/** Imports the phantoms (idempotent: stored by content) and starts the demo's training run once. */
export async function runDemoJob(
  deps: Deps,
  overrides: Partial<DemoSettings> = {},
): Promise<{ imported: number; runId: string | null }> {
  const settings = { ...demoSettings, ...overrides };
  const labelSet = await loadLabelSet(deps.db, settings.labelSet);
  const ctx = { db: deps.db, storage: deps.storage };
  let imported = 0;
  let n = 0;
  for await (const phantom of deps.engine.phantoms(settings)) {
    const labelled = hashShare(phantom.patientId) < settings.labelledShare;
    const classId = labelSet.classes.get(phantom.label);
    const prepared = await prepareImage(phantom.png, `phantom-${n}.png`);
    const outcome = await storeImage(ctx, {
      prepared,
      patient: { source: "SYNTHETIC", externalId: phantom.patientId },
      study: { key: `demo:${phantom.patientId}`, description: "Synthetic chest X-ray phantom (demo)" },
      image: {
        source: "SYNTHETIC",
        sourceRef: `demo/phantom-${n}.png`,
        modality: "DX",
        viewPosition: "PA",
        clinical: { finding: phantom.label },
      },
      // the phantom's lesion mask comes with its label, as a data set's masks would: training is guided by it
      label:
        labelled && classId
          ? { labelSetId: labelSet.id, classId, rois: phantom.mask ? maskToRois(phantom.mask) : [] }
          : undefined,
    });
    if (outcome.status === "IMPORTED") imported++;
    n++;
  }
  // one demo run, ever: a retried job finds it and does not start another
  const existing = await deps.db.trainingRun.findFirst({
    where: { labelSetId: labelSet.id, params: { path: ["demo"], equals: true } },
  });
  if (existing) return { imported, runId: existing.id };
  const run = await startTraining(deps, {
    labelSet: settings.labelSet,
    architecture: "compact",
    // the demo's first model: there is no champion to start from
    mode: "FROM_SCRATCH",
    labelSources: ["IMPORTED"],
    epochs: settings.epochs,
    demo: true,
  });
  deps.wake?.(queueNames.train);
  return { imported, runId: run.id };
}

/** A stable number in [0, 1) per patient, so the labelled part is the same on every start. */
function hashShare(id: string): number {
  return createHash("sha256").update(id).digest().readUInt32BE(0) / 2 ** 32;
}
