// Grad-CAM against readers' ROIs in the web app: a saved read with ROIs is scored in its request against the
// stored maps of its class on the image (a few small maps: cheap). A failure here never loses the read: it
// is logged, and the inference service scores the pair when it next stores a map for the image.
import { type Db } from "@cxr/db";
import { syncCamRoiAgreements } from "@cxr/db/cam-roi";
import { scoreCamAgainstRois } from "@cxr/imaging";
import { type ObjectStorage } from "@cxr/storage";

/** `storage` is a getter so that storage that cannot even be configured counts as a failure here too. */
export async function scoreSavedRead(db: Db, storage: () => ObjectStorage, readId: string): Promise<number> {
  try {
    const store = storage();
    return await syncCamRoiAgreements(db, { readIds: [readId] }, async (pair) =>
      scoreCamAgainstRois(await store.get(pair.mapSha256), pair.rois, pair.image),
    );
  } catch (error) {
    console.error(`Grad-CAM against the ROIs of read ${readId} not scored:`, error);
    return 0;
  }
}
