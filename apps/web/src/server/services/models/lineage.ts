// A version's lineage from what its training run recorded: the labels it learned from by source (summed over
// classes) and by reader (the top readers, the rest summed; "not recorded" for versions trained before runs
// recorded it), and the parent chain with the labels added since each parent. Read from the database directly.
import type { Db } from "@cxr/db";
import { labelSources, type LabelSource } from "@cxr/domain";
import { parseMetrics } from "./view";

/** Labels of the label set given after the parent was registered, up to this version (reads and consensus). */
export async function labelsSince(db: Db, labelSetId: string, from: Date, to: Date): Promise<number> {
  const createdAt = { gt: from, lte: to };
  const [reads, consensus] = await Promise.all([
    db.read.count({ where: { labelSetId, createdAt } }),
    db.consensus.count({ where: { labelSetId, createdAt } }),
  ]);
  return reads + consensus;
}

export interface LineageLink {
  id: string;
  version: number;
  status: string;
  /** labels given between its parent's registration and its own; null without a parent */
  labelsSinceParent: number | null;
}

export interface ModelLineage {
  /** training and validation labels per source; null when the version recorded none */
  bySource: Record<LabelSource, number> | null;
  /** null: not recorded (trained before runs recorded readers) */
  byReader: {
    top: { id: string; name: string; labels: number }[];
    rest: { readers: number; labels: number };
  } | null;
  /** the version itself first, then its parent, grandparent, ... */
  chain: LineageLink[];
}

const linkSelect = {
  id: true,
  version: true,
  status: true,
  labelSetId: true,
  createdAt: true,
  parentId: true,
} as const;

export async function modelLineage(db: Db, id: string, topReaders = 5): Promise<ModelLineage> {
  const model = await db.modelVersion.findUniqueOrThrow({
    where: { id },
    select: { ...linkSelect, metrics: true },
  });
  // the parent chain (a cycle cannot happen, but a bad row must not hang the page)
  const rows = [model as Omit<typeof model, "metrics">];
  for (let p = model.parentId; p && rows.length <= 50;) {
    const parent = await db.modelVersion.findUnique({ where: { id: p }, select: linkSelect });
    if (!parent) break;
    rows.push(parent);
    p = parent.parentId;
  }
  const chain = await Promise.all(
    rows.map(async (row, i) => {
      const parent = rows[i + 1];
      return {
        id: row.id,
        version: row.version,
        status: row.status,
        labelsSinceParent: parent
          ? await labelsSince(db, row.labelSetId, parent.createdAt, row.createdAt)
          : null,
      };
    }),
  );

  const metrics = parseMetrics(model.metrics);
  let bySource: ModelLineage["bySource"] = null;
  if (metrics?.data) {
    const sums = Object.fromEntries(labelSources.map((s) => [s, 0])) as Record<LabelSource, number>;
    for (const cells of Object.values(metrics.data))
      for (const source of labelSources) sums[source] += cells[source]?.images ?? 0;
    bySource = sums;
  }
  return {
    bySource,
    byReader: metrics?.readers ? await readers(db, metrics.readers, topReaders) : null,
    chain,
  };
}

async function readers(db: Db, counts: Record<string, number>, top: number) {
  const sorted = Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const shown = sorted.slice(0, top);
  const users = await db.user.findMany({
    where: { id: { in: shown.map(([id]) => id) } },
    select: { id: true, name: true },
  });
  const nameOf = new Map(users.map((u) => [u.id, u.name]));
  const rest = sorted.slice(top);
  return {
    top: shown.map(([id, labels]) => ({ id, name: nameOf.get(id) ?? "a removed user", labels })),
    rest: { readers: rest.length, labels: rest.reduce((n, [, labels]) => n + labels, 0) },
  };
}
