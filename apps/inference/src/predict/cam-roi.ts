// Grad-CAM against readers' ROIs when a version's maps are stored for images that already have reads with ROIs
// (the web app scores a read's ROIs when the read is saved; this is the other half), in the transaction that
// stores the maps. A scoring failure (an unreadable map) is logged and loses nothing: the maps are committed.
import { syncCamRoiAgreements } from "@cxr/db/cam-roi";
import { scoreCamAgainstRois } from "@cxr/imaging";
import type { Deps } from "../deps";

export async function scoreNewMaps(
  deps: Deps,
  db: Parameters<typeof syncCamRoiAgreements>[0],
  predictionIds: readonly string[],
): Promise<number> {
  if (predictionIds.length === 0) return 0;
  try {
    return await syncCamRoiAgreements(db, { predictionIds }, async (pair) =>
      scoreCamAgainstRois(await deps.storage.get(pair.mapSha256), pair.rois, pair.image),
    );
  } catch (error) {
    console.error("Grad-CAM against readers' ROIs not scored:", error);
    return 0;
  }
}
