// A version's page: its test figures, curves, training history, the gate against the champion, lineage.
import type { Db } from "@cxr/db";
import { epochHistorySchema } from "@cxr/inference-api";
import { downloadUrl } from "../exports/urls";
import { serviceCall, type ModelsClient } from "./client";
import { modelRow, parseMetrics } from "./view";

/** Labels of the label set given after the parent was registered, up to this version (reads and consensus). */
async function labelsSince(db: Db, labelSetId: string, from: Date, to: Date): Promise<number> {
  const createdAt = { gt: from, lte: to };
  const [reads, consensus] = await Promise.all([
    db.read.count({ where: { labelSetId, createdAt } }),
    db.consensus.count({ where: { labelSetId, createdAt } }),
  ]);
  return reads + consensus;
}

export async function modelDetail(db: Db, client: ModelsClient, id: string) {
  const model = await serviceCall(() => client.models.get.query({ id }));
  const siblings = await serviceCall(() => client.models.list.query({ labelSet: model.labelSet }));
  const byId = new Map(siblings.map((m) => [m.id, m]));
  const metrics = parseMetrics(model.metrics);
  const history = epochHistorySchema.safeParse(model.history);

  // the parent chain, nearest first (a cycle cannot happen, but a bad row must not hang the page)
  const lineage: { id: string; version: number; status: string }[] = [];
  for (let p = model.parentId; p && lineage.length < 50;) {
    const parent = byId.get(p);
    if (!parent) break;
    lineage.push({ id: parent.id, version: parent.version, status: parent.status });
    p = parent.parentId;
  }
  const parent = model.parentId ? byId.get(model.parentId) : undefined;
  const champion = siblings.find((m) => m.status === "CHAMPION") ?? null;
  return {
    ...modelRow(model, byId),
    labelSet: model.labelSet,
    classKeys: model.classKeys,
    checksum: model.checksum,
    promotedAt: model.promotedAt,
    promotedBy: model.promotedBy?.name ?? null,
    test: metrics?.test ?? null,
    gate: metrics?.gate ?? null,
    /** the champion as the gate measured it on the same test split */
    comparedWith: metrics?.champion
      ? {
          id: metrics.champion.id,
          version: byId.get(metrics.champion.id)?.version ?? null,
          test: metrics.champion.test,
        }
      : null,
    /** the model card's downloads (ADMIN and RADIOLOGIST, as this page) */
    modelCard: {
      md: downloadUrl("model-card.md", { modelVersionId: model.id }),
      html: downloadUrl("model-card.html", { modelVersionId: model.id }),
    },
    currentChampion: champion ? { id: champion.id, version: champion.version } : null,
    history: history.success ? history.data : [],
    lineage,
    labelsSinceParent: parent
      ? await labelsSince(db, model.labelSetId, parent.createdAt, model.createdAt)
      : null,
  };
}
export type ModelDetail = Awaited<ReturnType<typeof modelDetail>>;
