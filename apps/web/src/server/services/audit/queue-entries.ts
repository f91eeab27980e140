// An audit selection as the review workspace's queue: its cases with the audited version's prediction, whether
// or not anyone reviewed them (an audit looks back). No lease is taken: nobody is asked to decide these cases.
import { type Db } from "@cxr/db";
import {
  imageSelect,
  predictionFields,
  predictionSelect,
  studyDate,
  type QueueResult,
} from "../review/queue";
import { type AuditSelection } from "~/lib/audit/selection";
import { selectionImageIds } from "./selection";

export async function auditQueueEntries(
  db: Db,
  sel: AuditSelection,
  readerId: string | null,
  limit: number,
): Promise<QueueResult> {
  const { modelVersionId, imageIds } = await selectionImageIds(db, sel, readerId, limit);
  const [images, predictions] = await Promise.all([
    db.image.findMany({ where: { id: { in: imageIds } }, select: { id: true, ...imageSelect } }),
    db.prediction.findMany({
      where: { modelVersionId, imageId: { in: imageIds } },
      select: predictionSelect,
    }),
  ]);
  const imageOf = new Map(images.map((i) => [i.id, i]));
  const predictionOf = new Map(predictions.map((p) => [p.imageId, p]));
  return {
    scope: "audit",
    campaignId: null,
    campaigns: [],
    modelVersionId,
    entries: imageIds.flatMap((id) => {
      const image = imageOf.get(id);
      if (!image) return [];
      return [
        {
          imageId: id,
          assignmentId: null,
          campaignId: null,
          campaignName: null,
          blinded: false,
          ...predictionFields(predictionOf.get(id)),
          modality: image.modality,
          viewPosition: image.viewPosition,
          ...studyDate(image),
        },
      ];
    }),
  };
}
