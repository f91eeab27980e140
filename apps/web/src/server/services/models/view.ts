// The Models page: every version of every label set with the figures a reader compares them by.
import { modelMetricsSchema, type ModelMetrics, type ModelView } from "@cxr/inference-api";
import { serviceCall, type ModelsClient } from "./client";

/** The stored metrics, or null when a version has none in the current shape (older or unmeasured). */
export function parseMetrics(raw: unknown): ModelMetrics | null {
  const parsed = modelMetricsSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export interface Figure {
  value: number | null;
  lower: number | null;
  upper: number | null;
}

export function figure(
  metrics: ModelMetrics | null,
  value: number | null | undefined,
  ciKey: string,
): Figure {
  const ci = metrics?.test?.ci95?.[ciKey] ?? null;
  return { value: value ?? null, lower: ci?.lower ?? null, upper: ci?.upper ?? null };
}

export interface ModelRow {
  id: string;
  version: number;
  name: string;
  status: ModelView["status"];
  architecture: ModelView["architecture"];
  parentVersion: number | null;
  createdAt: Date;
  createdBy: string | null;
  mode: string | null;
  labelSources: string[];
  data: ModelMetrics["data"] | null;
  testCount: number | null;
  accuracy: Figure;
  auc: Figure;
  gatePassed: boolean | null;
}

export function modelRow(model: ModelView, byId: ReadonlyMap<string, ModelView>): ModelRow {
  const metrics = parseMetrics(model.metrics);
  return {
    id: model.id,
    version: model.version,
    name: model.name,
    status: model.status,
    architecture: model.architecture,
    parentVersion: model.parentId ? (byId.get(model.parentId)?.version ?? null) : null,
    createdAt: model.createdAt,
    createdBy: model.training?.startedBy?.name ?? null,
    mode: model.training?.mode ?? null,
    labelSources: model.training?.labelSources ?? [],
    data: metrics?.data ?? null,
    testCount: metrics?.test?.count ?? null,
    accuracy: figure(metrics, metrics?.test?.accuracy, "accuracy"),
    auc: figure(metrics, metrics?.test?.aucOvrMacro, "auc_ovr_macro"),
    gatePassed: metrics?.gate?.passed ?? null,
  };
}

/** Versions grouped by label set, newest first. */
export async function listModelsByLabelSet(client: ModelsClient) {
  const models = await serviceCall(() => client.models.list.query({}));
  const byId = new Map(models.map((m) => [m.id, m]));
  const sets = new Map<string, ModelRow[]>();
  for (const model of models) {
    const rows = sets.get(model.labelSet) ?? [];
    rows.push(modelRow(model, byId));
    sets.set(model.labelSet, rows);
  }
  return [...sets].map(([labelSet, rows]) => ({
    labelSet,
    versions: rows.sort((a, b) => b.version - a.version),
  }));
}
