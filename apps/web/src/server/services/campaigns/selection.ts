// A campaign's image selection as a database filter, its live count, and the images it picks.
import { type Db, type Prisma } from "@cxr/db";
import { campaignModel } from "@cxr/db/assignments";
import { DomainError } from "@cxr/domain";
import { selectionSchema, type SelectionInput } from "~/lib/campaigns";

const DAY_MS = 86_400_000;

/** The filter of a selection for one label set (READY images only: the others cannot be shown yet). */
export async function selectionWhere(
  db: Db,
  labelSetId: string,
  input: SelectionInput,
): Promise<Prisma.ImageWhereInput> {
  const s = selectionSchema.parse(input);
  const and: Prisma.ImageWhereInput[] = [{ status: "READY" }];
  if (s.source) and.push({ source: s.source });
  if (s.modality) and.push({ modality: s.modality });
  if (s.viewPosition) and.push({ viewPosition: s.viewPosition });
  if (s.from) and.push({ queueDate: { gte: new Date(`${s.from}T00:00:00Z`) } });
  // inclusive: the whole last day
  if (s.to) and.push({ queueDate: { lt: new Date(new Date(`${s.to}T00:00:00Z`).getTime() + DAY_MS) } });
  if (s.importJobId) {
    const items = await db.importItem.findMany({
      where: { jobId: s.importJobId },
      select: { imageIds: true },
    });
    if (items.length === 0 && !(await db.importJob.findUnique({ where: { id: s.importJobId } })))
      throw new DomainError("NOT_FOUND", "This import job does not exist.");
    and.push({ id: { in: [...new Set(items.flatMap((i) => i.imageIds))] } });
  }
  if (s.predictedClass) {
    const modelVersionId = await campaignModel(db, labelSetId);
    if (!modelVersionId)
      throw new DomainError(
        "BAD_REQUEST",
        "No model predicts this label set yet: drop the predicted-class filter.",
      );
    and.push({
      predictions: { some: { modelVersionId, predictedClass: { key: s.predictedClass, labelSetId } } },
    });
  }
  if (s.importedClass)
    and.push({ reads: { some: { source: "IMPORT", labelSetId, labelClass: { key: s.importedClass } } } });
  if (s.reviewed !== "any") {
    const reads = { source: "READER", labelSetId } as const;
    and.push({ reads: s.reviewed === "reviewed" ? { some: reads } : { none: reads } });
  }
  return { AND: and };
}

async function labelSetOf(db: Db, labelSetId: string) {
  const set = await db.labelSet.findUnique({ where: { id: labelSetId }, select: { id: true } });
  if (!set) throw new DomainError("NOT_FOUND", "This label set does not exist.");
}

/** The selection's filter, leaving out the images already in `outsideCampaignId` when given. */
async function where(db: Db, labelSetId: string, input: SelectionInput, outsideCampaignId?: string) {
  const filter = await selectionWhere(db, labelSetId, input);
  return outsideCampaignId
    ? { AND: [filter, { campaignImages: { none: { campaignId: outsideCampaignId } } }] }
    : filter;
}

/**
 * How many images the selection matches (outside `outsideCampaignId` when given: images added to a running
 * campaign), and how many of them a campaign would take (its limit).
 */
export async function countSelection(
  db: Db,
  labelSetId: string,
  input: SelectionInput,
  outsideCampaignId?: string,
) {
  await labelSetOf(db, labelSetId);
  const matching = await db.image.count({ where: await where(db, labelSetId, input, outsideCampaignId) });
  return { matching, taken: Math.min(matching, selectionSchema.parse(input).limit) };
}

/** The selected images' ids, oldest study date first (the FIFO order), at most the selection's limit. */
export async function selectImageIds(
  db: Db,
  labelSetId: string,
  input: SelectionInput,
  /** leave out the images already in this campaign */
  outsideCampaignId?: string,
): Promise<string[]> {
  const rows = await db.image.findMany({
    where: await where(db, labelSetId, input, outsideCampaignId),
    orderBy: [{ queueDate: "asc" }, { id: "asc" }],
    take: selectionSchema.parse(input).limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
