import { type Db } from "@cxr/db";

/**
 * The model whose predictions a queue shows by default: the newest champion, else the newest model.
 * Readers may pick another version in the filters.
 */
export async function defaultModelVersionId(db: Db): Promise<string | null> {
  const champion = await db.modelVersion.findFirst({
    where: { status: "CHAMPION" },
    orderBy: [{ promotedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
    select: { id: true },
  });
  if (champion) return champion.id;
  const newest = await db.modelVersion.findFirst({ orderBy: { createdAt: "desc" }, select: { id: true } });
  return newest?.id ?? null;
}

/**
 * How a model version is named to readers everywhere: "name vN". The service names the versions it trains
 * "label-set vN (arch)" already, so a name that holds its own number is shown as it is.
 */
export function modelVersionLabel(v: { name: string; version: number }): string {
  return new RegExp(`(^|\\s)v${v.version}(\\s|$)`).test(v.name) ? v.name : `${v.name} v${v.version}`;
}
