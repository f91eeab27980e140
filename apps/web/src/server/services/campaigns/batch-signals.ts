// What the batch queue strategies need from object storage when a campaign's images are assigned (@cxr/db's
// createAssignments ranks them with @cxr/domain's batchPriorities):
//  - embeddings: the inference service's embedding cache (EmbeddingChunk rows, chunks in storage, keyed by the
//    image's master SHA-256). A namespace is one backbone and preprocessing, but the cache does not record which
//    model version made it, so the namespace that covers most of the campaign's images is used.
//  - CAM outside share: the campaign model's Grad-CAM of its predicted class against the ROIs readers drew on the
//    image or, when it has none, on its nearest labelled neighbours by embedding (k = 5).
import { campaignModel, type BatchSignals } from "@cxr/db/assignments";
import type { Db } from "@cxr/db";
import {
  camOutsideShare,
  isBatchStrategy,
  nearestNeighbours,
  storedRoiSchema,
  strategyWeightsSchema,
  unionMask,
  type QueueStrategy,
  type StoredRoi,
} from "@cxr/domain";
import { decodeRaster, rasterizeRois } from "@cxr/imaging";
import { decodeChunk, type ObjectStorage } from "@cxr/storage";

/** Neighbours whose regions stand in for an image's own when it has none. */
export const roiNeighbours = 5;

interface Campaign {
  id: string;
  strategy: QueueStrategy;
  strategyWeights: unknown;
  labelSetId: string;
  modelVersionId: string | null;
}

/** Which signals the strategy (or the mix's weighted strategies) reads. */
function needs(c: Campaign): { embeddings: boolean; cam: boolean } {
  if (c.strategy === "DIVERSITY") return { embeddings: true, cam: false };
  if (c.strategy === "CAM_ROI_DISAGREEMENT") return { embeddings: true, cam: true };
  const w = strategyWeightsSchema.safeParse(c.strategyWeights);
  const on = (s: "DIVERSITY" | "CAM_ROI_DISAGREEMENT") => w.success && (w.data[s] ?? 0) > 0;
  return { embeddings: on("DIVERSITY") || on("CAM_ROI_DISAGREEMENT"), cam: on("CAM_ROI_DISAGREEMENT") };
}

/**
 * The signals for the campaign's images and `imageIds` (undefined for a per-image strategy). A chunk or map that
 * cannot be read is skipped: its images are ranked after the others rather than failing the assignment.
 */
export async function loadBatchSignals(
  db: Db,
  storage: ObjectStorage,
  campaign: Campaign,
  imageIds: readonly string[],
): Promise<BatchSignals | undefined> {
  if (!isBatchStrategy(campaign.strategy)) return undefined;
  const need = needs(campaign);
  const inCampaign = await db.campaignImage.findMany({
    where: { campaignId: campaign.id },
    select: { imageId: true },
  });
  const ids = [...new Set([...inCampaign.map((c) => c.imageId), ...imageIds])];
  const embeddings = need.embeddings ? await loadEmbeddings(db, storage, ids) : new Map<string, number[]>();
  const camOutside = need.cam
    ? await loadCamOutside(db, storage, campaign, ids, embeddings)
    : new Map<string, number>();
  return { embeddings, camOutside };
}

/** Image id -> embedding, from the cached namespace that covers most of `imageIds`. */
export async function loadEmbeddings(
  db: Pick<Db, "image" | "embeddingChunk">,
  storage: ObjectStorage,
  imageIds: readonly string[],
): Promise<Map<string, number[]>> {
  const images = await db.image.findMany({
    where: { id: { in: [...imageIds] }, masterSha256: { not: null } },
    select: { id: true, masterSha256: true },
  });
  const idsOf = new Map<string, string[]>();
  for (const i of images) idsOf.set(i.masterSha256!, [...(idsOf.get(i.masterSha256!) ?? []), i.id]);
  const chunks = await db.embeddingChunk.findMany({
    orderBy: { createdAt: "desc" },
    select: { sha256: true, namespace: true, size: true },
  });
  let best = new Map<string, number[]>();
  for (const namespace of new Set(chunks.map((c) => c.namespace))) {
    const found = new Map<string, number[]>();
    for (const chunk of chunks.filter((c) => c.namespace === namespace)) {
      let entries: [string, Float32Array][];
      try {
        entries = decodeChunk(await storage.get(chunk.sha256)).entries;
      } catch {
        continue;
      }
      for (const [key, e] of entries)
        for (const id of idsOf.get(key) ?? []) if (!found.has(id)) found.set(id, Array.from(e));
    }
    // newest namespace first: a tie keeps the newer backbone
    if (found.size > best.size) best = found;
  }
  return best;
}

/** Image id -> share of its prediction's Grad-CAM outside the readers' (or the neighbours') regions. */
async function loadCamOutside(
  db: Db,
  storage: ObjectStorage,
  campaign: Campaign,
  imageIds: readonly string[],
  embeddings: ReadonlyMap<string, readonly number[]>,
): Promise<Map<string, number>> {
  const modelVersionId = campaign.modelVersionId ?? (await campaignModel(db, campaign.labelSetId));
  const out = new Map<string, number>();
  if (!modelVersionId) return out;
  const maps = await db.gradCamMap.findMany({
    where: { method: "GRADCAM", prediction: { modelVersionId, imageId: { in: [...imageIds] } } },
    select: {
      mapSha256: true,
      classId: true,
      prediction: { select: { imageId: true, predictedClassId: true } },
    },
  });
  const mapOf = new Map(
    maps.filter((m) => m.classId === m.prediction.predictedClassId).map((m) => [m.prediction.imageId, m]),
  );
  // regions readers drew: on these images, and on the labelled images their neighbours may be
  const annotations = await db.annotation.findMany({
    where: { deletedAt: null, authorId: { not: null }, shape: { not: "POINT" } },
    select: { imageId: true, shape: true, points: true, strokeWidth: true },
  });
  const roisOf = new Map<string, StoredRoi[]>();
  for (const a of annotations) {
    const roi = storedRoiSchema.safeParse(a);
    if (roi.success) roisOf.set(a.imageId, [...(roisOf.get(a.imageId) ?? []), roi.data]);
  }
  const labelled = [...roisOf.keys()].filter((id) => embeddings.has(id));
  for (const [imageId, map] of mapOf) {
    let cam: Float32Array;
    let width: number;
    let height: number;
    try {
      const { image } = await decodeRaster(await storage.get(map.mapSha256));
      ({ width, height } = image);
      cam = Float32Array.from(image.data, (v) => v / 65535);
    } catch {
      continue;
    }
    const own = roisOf.get(imageId);
    const embedding = embeddings.get(imageId);
    const sources = own
      ? [own]
      : embedding
        ? nearestNeighbours(
            embedding,
            labelled.filter((id) => id !== imageId).map((id) => embeddings.get(id)!),
            roiNeighbours,
          ).map((j) => roisOf.get(labelled.filter((id) => id !== imageId)[j]!)!)
        : [];
    if (sources.length === 0) continue;
    const masks = await Promise.all(sources.map(async (r) => (await rasterizeRois(r, width, height)).data));
    out.set(imageId, camOutsideShare(cam, unionMask(masks, cam.length)));
  }
  return out;
}
