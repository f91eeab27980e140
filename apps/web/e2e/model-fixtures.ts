// Model versions registered straight into the registry, as the inference tests' registerFakeModel does, with
// metrics in the shape the service writes (test figures, curves, gate): for the Models pages' tests.
import type { Db, ModelStatus } from "@cxr/db";
import type { ModelMetrics } from "@cxr/inference-api";

const classes = ["normal", "pneumonia", "covid-19"];

/** Plausible locked-test figures for three classes; `quality` in (0, 1) moves them all. */
function metricsOf(quality: number, gatePassed: boolean | null, championId: string | null): ModelMetrics {
  const hit = Math.round(30 * quality);
  const curve = (q: number) =>
    [0, 0.1, 0.3, 0.6, 1].map((fpr) => ({ fpr, tpr: Math.min(1, fpr + q * (1 - fpr)) }));
  return {
    test: {
      classes,
      count: 90,
      accuracy: quality,
      macroF1: quality - 0.02,
      ece: 0.05,
      aucOvrMacro: quality + 0.05,
      kappa: quality - 0.1,
      perClass: Object.fromEntries(
        classes.map((c) => [
          c,
          { precision: quality, recall: quality, specificity: 0.9, f1: quality, auc: quality + 0.05 },
        ]),
      ),
      confusionMatrix: classes.map((_, i) =>
        classes.map((_, j) => (i === j ? hit : Math.floor((30 - hit) / 2))),
      ),
      ci95: {
        accuracy: { lower: quality - 0.05, upper: quality + 0.04 },
        auc_ovr_macro: { lower: quality, upper: quality + 0.08 },
      },
      roc: Object.fromEntries(classes.map((c, i) => [c, curve(quality - i * 0.05)])),
      pr: Object.fromEntries(
        classes.map((c) => [
          c,
          [
            { recall: 0.2, precision: 1 },
            { recall: 1, precision: quality },
          ],
        ]),
      ),
      reliability: [0.4, 0.6, 0.8, 1].map((upper) => ({
        upper,
        count: 20,
        confidence: upper - 0.1,
        accuracy: upper - 0.15,
      })),
    },
    champion: championId ? { id: championId, test: null } : null,
    gate:
      gatePassed === null
        ? null
        : {
            passed: gatePassed,
            checks: [{ name: "macroF1", candidate: quality - 0.02, champion: 0.8, passed: gatePassed }],
          },
    data: { "covid-19": { IMPORTED: { images: 40, patients: 20 }, CORRECTED: { images: 5, patients: 4 } } },
  };
}

export async function registerVersion(
  db: Db,
  options: {
    status: ModelStatus;
    quality: number;
    gatePassed: boolean | null;
    parentId?: string;
    tag: string;
  },
) {
  const labelSet = await db.labelSet.findUniqueOrThrow({ where: { name: "cxr-4class" } });
  const last = await db.modelVersion.findFirst({
    where: { labelSetId: labelSet.id },
    orderBy: { version: "desc" },
  });
  const version = (last?.version ?? 0) + 1;
  return db.modelVersion.create({
    data: {
      labelSetId: labelSet.id,
      version,
      name: `cxr-4class v${version} (${options.tag})`,
      architecture: "COMPACT_CNN",
      inputSize: 64,
      targetLayer: "conv4",
      classKeys: classes,
      status: options.status,
      promotedAt: options.status === "CHAMPION" ? new Date() : null,
      storageUri: `memory://${options.tag}`,
      checksum: `${options.tag}`.padEnd(64, "0"),
      metrics: metricsOf(options.quality, options.gatePassed, options.parentId ?? null),
      history: [1, 2, 3].map((epoch) => ({
        epoch,
        loss: 1 / epoch,
        accuracy: 0.5 + epoch * 0.1,
        valLoss: 1.2 / epoch,
        valAccuracy: 0.45 + epoch * 0.1,
        seconds: 2,
      })),
      parentId: options.parentId ?? null,
    },
  });
}
