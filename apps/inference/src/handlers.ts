// This service's implementation of the inference API (@cxr/inference-api): each procedure of the contract is
// one of the plain functions below, bound to the running service's database, queue and models.
import * as tf from "@tensorflow/tfjs";
import type { InferenceHandlers, ServiceHandlers } from "@cxr/inference-api";
import type { BackendInfo } from "@cxr/ml";
import pkg from "../package.json" with { type: "json" };
import { listBackbones, registerBackbone } from "./backbones/registry";
import type { Deps } from "./deps";
import {
  getModel,
  listModels,
  promoteModel,
  rejectModel,
  resolveModelVersion,
  rollbackModel,
} from "./models/registry";
import { enqueueRescore } from "./predict/enqueue";
import { rescoreProgress } from "./predict/rescore-progress";
import { explainImage } from "./predict/explain";
import { requestPredictions } from "./predict/request";
import { queueNames } from "./queue/boss";
import { cancelTraining } from "./training/cancel";
import { followTraining, listTraining } from "./training/follow";
import { getPolicy, setPolicy } from "./training/policy";
import { previewTraining } from "./training/preview";
import { startTraining } from "./training/start";

export interface HandlerOptions {
  backend: BackendInfo;
  /** the database, queue and models; without them only the system procedures work */
  deps?: Deps;
}

export function createHandlers({ backend, deps }: HandlerOptions): InferenceHandlers {
  const startedAt = Date.now();
  return {
    system: {
      info: () => ({
        service: "inference",
        version: pkg.version,
        backend: backend.backend,
        provider: backend.provider,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        numTensors: tf.memory().numTensors,
        workerId: deps?.config.workerId ?? null,
        stats: deps ? { ...deps.stats } : null,
        loadedModels: deps?.models.loadedIds() ?? [],
      }),
    },
    service: deps ? serviceHandlers(deps) : null,
  };
}

/** After any change of champion: warm it here and re-score unreviewed images in the background. */
async function afterChampionChange(deps: Deps, championId: string): Promise<void> {
  await deps.models.warmChampions();
  await enqueueRescore(deps, championId);
  deps.wake?.(queueNames.rescore);
}

function serviceHandlers(deps: Deps): ServiceHandlers {
  return {
    models: {
      list: (input) => listModels(deps.db, input),
      get: (input) => getModel(deps.db, input),
      promote: async (input) => {
        const change = await promoteModel(deps.db, input);
        await afterChampionChange(deps, change.champion.id);
        return change;
      },
      rollback: async (input) => {
        const change = await rollbackModel(deps.db, input);
        await afterChampionChange(deps, change.champion.id);
        return change;
      },
      reject: (input) => rejectModel(deps.db, input),
      rescoreProgress: (input) => rescoreProgress(deps, input),
    },
    policy: {
      get: (input) => getPolicy(deps.db, input),
      set: (input) => setPolicy(deps.db, input),
    },
    predictions: {
      predict: (input) => requestPredictions(deps, { ...input, queue: queueNames.predict }),
      explain: (input) => explainImage(deps, input),
      queuePending: async (input) => {
        const version = await resolveModelVersion(deps.db, input);
        const jobId = await enqueueRescore(deps, version.id);
        deps.wake?.(queueNames.rescore);
        return { modelVersionId: version.id, jobId };
      },
    },
    training: {
      preview: (input) => previewTraining(deps.db, input),
      start: async (input) => {
        const run = await startTraining(deps, input);
        deps.wake?.(queueNames.train);
        return run;
      },
      cancel: (input) => cancelTraining(deps.db, input),
      list: (input) => listTraining(deps.db, input),
      progress: (input, signal) => followTraining(deps.db, input, signal),
    },
    backbones: {
      register: (input) => registerBackbone(deps, input),
      list: (input) => listBackbones(deps.db, input),
    },
  };
}
