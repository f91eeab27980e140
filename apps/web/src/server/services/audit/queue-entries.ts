// An audit selection as the review workspace's queue: its cases with the audited version's prediction, whether
// or not anyone reviewed them (an audit looks back). No lease is taken: nobody is asked to decide these cases.
// A page at a time (offset, with the selection's total), so a cell of any size is one queue.
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
  offset = 0,
): Promise<QueueResult> {
  const { modelVersionId, imageIds, total } = await selectionImageIds(db, sel, readerId, limit, {
    offset,
    counted: true,
  });
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
    page: { offset, total: total ?? imageIds.length },
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
