// A campaign's agreement figures: pairwise Cohen's kappa and Fleiss' kappa (overall and per class, with 95%
// CIs), each reader against the consensus and against the model, ROI overlap between readers, and the images
// with the most disagreement. The statistics are @cxr/agreement's; this file gathers the rows.
import {
  againstReference,
  cohenKappa,
  cohenKappaForClass,
  fleissKappa,
  maskOverlap,
  type Interval,
  type ReferenceAgreement,
} from "@cxr/agreement";
import { type Db } from "@cxr/db";
import { campaignModel } from "@cxr/db/assignments";
import { DomainError } from "@cxr/domain";
import { campaignReads, roiMask } from "../consensus/settle";

export interface KappaFigure {
  kappa: number;
  ci: Interval;
  n: number;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

export async function campaignAgreement(db: Db, campaignId: string) {
  const campaign = await db.campaign.findUnique({
    where: { id: campaignId },
    select: { id: true, name: true, labelSetId: true, modelVersionId: true, readsPerImage: true },
  });
  if (!campaign) throw new DomainError("NOT_FOUND", "This campaign does not exist.");
  const classes = await db.labelClass.findMany({
    where: { labelSetId: campaign.labelSetId },
    orderBy: { index: "asc" },
    select: { id: true, key: true, name: true },
  });
  const keyOf = new Map(classes.map((c) => [c.id, c.key]));
  const labels = classes.map((c) => c.key);
  const imageIds = (
    await db.read.findMany({
      where: { campaignId, source: "READER", assignmentId: { not: null } },
      distinct: ["imageId"],
      select: { imageId: true },
    })
  ).map((r) => r.imageId);
  const perImage = await Promise.all(
    imageIds.map(async (imageId) => ({ imageId, reads: await campaignReads(db, campaignId, imageId) })),
  );
  const readers = new Map<string, string>();
  for (const { reads } of perImage)
    for (const r of reads) if (r.readerId) readers.set(r.readerId, r.reader?.name ?? r.readerId);
  const readerIds = [...readers.keys()].sort((a, b) => readers.get(a)!.localeCompare(readers.get(b)!));
  /** readerId -> imageId -> class key */
  const labelOf = new Map(readerIds.map((id) => [id, new Map<string, string>()]));
  for (const { imageId, reads } of perImage)
    for (const r of reads) if (r.readerId) labelOf.get(r.readerId)!.set(imageId, keyOf.get(r.classId) ?? "?");

  // pairwise Cohen's kappa, overall and per class, with ROI overlap on the same images
  const masks = new Map<string, Uint8Array>();
  for (const { imageId, reads } of perImage)
    for (const r of reads)
      if (r.readerId && r.rois.length > 0) masks.set(`${r.readerId}/${imageId}`, await roiMask(r.rois));
  const emptyMask = new Uint8Array(masks.values().next().value?.length ?? 0);
  const pairs = [];
  for (let i = 0; i < readerIds.length; i++)
    for (let j = i + 1; j < readerIds.length; j++) {
      const [a, b] = [readerIds[i]!, readerIds[j]!];
      const common = imageIds.filter((id) => labelOf.get(a)!.has(id) && labelOf.get(b)!.has(id));
      const la = common.map((id) => labelOf.get(a)!.get(id)!);
      const lb = common.map((id) => labelOf.get(b)!.get(id)!);
      const overall = common.length > 0 ? cohenKappa(la, lb) : null;
      const overlaps = common.flatMap((id) => {
        const ma = masks.get(`${a}/${id}`);
        const mb = masks.get(`${b}/${id}`);
        return ma || mb ? [maskOverlap(ma ?? emptyMask, mb ?? emptyMask)] : [];
      });
      pairs.push({
        readerA: readers.get(a)!,
        readerB: readers.get(b)!,
        n: common.length,
        kappa: overall ? figure(overall.kappa, overall.ci, common.length) : null,
        perClass: labels.map((label) => {
          const k = common.length > 0 ? cohenKappaForClass(la, lb, label) : null;
          return { label, kappa: k ? finite(k.kappa) : null };
        }),
        roi: {
          pairs: overlaps.length,
          meanIou: overlaps.length ? mean(overlaps.map((o) => o.iou)) : null,
          meanDice: overlaps.length ? mean(overlaps.map((o) => o.dice)) : null,
        },
      });
    }

  // Fleiss' kappa over the images with the campaign's full number of reads
  const raters = Math.max(2, campaign.readsPerImage);
  const full = perImage.filter((p) => p.reads.length === raters);
  const fleiss =
    full.length > 0
      ? fleissKappa(
          full.map(({ reads }) => labels.map((l) => reads.filter((r) => keyOf.get(r.classId) === l).length)),
        )
      : null;

  // each reader against the consensus and against the model
  const consensus = new Map(
    (
      await db.consensus.findMany({
        where: { campaignId, imageId: { in: imageIds } },
        select: { imageId: true, classId: true, method: true },
      })
    ).map((c) => [c.imageId, c]),
  );
  const modelVersionId = campaign.modelVersionId ?? (await campaignModel(db, campaign.labelSetId));
  const predicted = new Map(
    modelVersionId
      ? (
          await db.prediction.findMany({
            where: { modelVersionId, imageId: { in: imageIds } },
            select: { imageId: true, predictedClassId: true },
          })
        ).map((p) => [p.imageId, keyOf.get(p.predictedClassId) ?? "?"])
      : [],
  );
  const against = (readerId: string, reference: Map<string, string>) => {
    const ids = [...labelOf.get(readerId)!.keys()].filter((id) => reference.has(id));
    if (ids.length === 0) return null;
    return referenceFigures(
      againstReference(
        ids.map((id) => labelOf.get(readerId)!.get(id)!),
        ids.map((id) => reference.get(id)!),
        labels,
      ),
    );
  };
  const consensusKeys = new Map([...consensus].map(([id, c]) => [id, keyOf.get(c.classId) ?? "?"]));
  const perReader = readerIds.map((id) => ({
    reader: readers.get(id)!,
    reads: labelOf.get(id)!.size,
    vsConsensus: against(id, consensusKeys),
    vsModel: against(id, predicted),
  }));

  // the images with the most disagreement: the smallest share on the top label, then the smallest ROI IoU
  const pending = new Set(
    (
      await db.adjudication.findMany({ where: { campaignId, status: "PENDING" }, select: { imageId: true } })
    ).map((a) => a.imageId),
  );
  const disagreements = perImage
    .filter((p) => p.reads.length >= 2)
    .map(({ imageId, reads }) => {
      const keys = reads.map((r) => keyOf.get(r.classId) ?? "?");
      const top = Math.max(...labels.map((l) => keys.filter((k) => k === l).length));
      const ms = reads.map((r) => (r.readerId ? masks.get(`${r.readerId}/${imageId}`) : undefined));
      let minIou: number | null = null;
      for (let i = 0; i < ms.length; i++)
        for (let j = i + 1; j < ms.length; j++)
          if (ms[i] || ms[j]) {
            const iou = maskOverlap(ms[i] ?? emptyMask, ms[j] ?? emptyMask).iou;
            minIou = minIou === null ? iou : Math.min(minIou, iou);
          }
      return {
        imageId,
        reads: reads.map((r, k) => ({ reader: r.reader?.name ?? "?", label: keys[k]! })),
        labelAgreement: top / reads.length,
        minIou,
        consensus: consensus.has(imageId) ? (consensusKeys.get(imageId) ?? null) : null,
        pendingAdjudication: pending.has(imageId),
      };
    })
    .filter((d) => d.labelAgreement < 1 || (d.minIou !== null && d.minIou < 1))
    .sort((x, y) => x.labelAgreement - y.labelAgreement || (x.minIou ?? 1) - (y.minIou ?? 1))
    .slice(0, 20);

  return {
    campaignId: campaign.id,
    campaignName: campaign.name,
    labels: classes.map((c) => ({ key: c.key, name: c.name })),
    readers: readerIds.map((id) => readers.get(id)!),
    imagesRead: imageIds.length,
    ciMethod: {
      cohen: "analytic (Cohen 1960 standard error)",
      fleiss: "percentile bootstrap over images (1000 replicates, seeded)",
    },
    fleiss: fleiss
      ? {
          ...figure(fleiss.kappa, fleiss.ci, fleiss.subjects),
          raters: fleiss.raters,
          perClass: labels.map((label, j) => ({ label, kappa: finite(fleiss.perCategory[j]!) })),
        }
      : null,
    pairs,
    perReader,
    disagreements,
  };
}

export type CampaignAgreement = Awaited<ReturnType<typeof campaignAgreement>>;

function figure(kappa: number, ci: Interval, n: number): KappaFigure {
  return { kappa, ci, n };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

function referenceFigures(r: ReferenceAgreement) {
  return {
    n: r.n,
    accuracy: r.accuracy,
    kappa: finite(r.kappa.kappa),
    perClass: r.perClass.map((c) => ({
      label: c.label,
      sensitivity: finite(c.sensitivity),
      specificity: finite(c.specificity),
      kappa: finite(c.kappa),
    })),
  };
}
