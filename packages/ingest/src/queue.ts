// "New images are queued for prediction": an Image row with status PENDING is a queued image. The inference
// worker (another issue) consumes PENDING rows; it can also hook `onQueued` to be woken at once instead of polling.
export type OnImagesQueued = (imageIds: string[]) => Promise<void> | void;

/** Called after the rows are committed, never inside the transaction that creates them. */
export async function queueForPrediction(imageIds: string[], onQueued?: OnImagesQueued): Promise<void> {
  if (imageIds.length === 0 || !onQueued) return;
  try {
    await onQueued(imageIds);
  } catch (error) {
    // the rows are committed as PENDING, so a worker that polls still finds them; the import goes on
    console.warn(`prediction queue hook failed for ${imageIds.length} image(s): ${String(error)}`);
  }
}
