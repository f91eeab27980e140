// A version's page: its test figures, curves, training history, the gate against the champion, lineage.
import type { Db } from "@cxr/db";
import { epochHistorySchema } from "@cxr/inference-api";
import { downloadUrl } from "../exports/urls";
import { serviceCall, type ModelsClient } from "./client";
import { modelLineage } from "./lineage";
import { modelRow, parseMetrics } from "./view";

export async function modelDetail(db: Db, client: ModelsClient, id: string) {
  const model = await serviceCall(() => client.models.get.query({ id }));
  const siblings = await serviceCall(() => client.models.list.query({ labelSet: model.labelSet }));
  const byId = new Map(siblings.map((m) => [m.id, m]));
  const metrics = parseMetrics(model.metrics);
  const history = epochHistorySchema.safeParse(model.history);

  const lineage = await modelLineage(db, model.id);
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
    /** the parent chain, nearest first */
    lineage: lineage.chain.slice(1),
    labelsSinceParent: lineage.chain[0]?.labelsSinceParent ?? null,
    trainedOn: { bySource: lineage.bySource, byReader: lineage.byReader },
  };
}
export type ModelDetail = Awaited<ReturnType<typeof modelDetail>>;
