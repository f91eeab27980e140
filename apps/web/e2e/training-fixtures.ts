// Labelled images for the training spec, written through the ingest path into the e2e stack's database and
// storage: one patient each, the class readable from the image's brightness (a model learns it in a few epochs),
// every class of cxr-4class represented, and some unlabelled images for the champion to re-score.
import { type Db } from "@cxr/db";
import { encodeGrey8Png, prepareImage } from "@cxr/imaging";
import { loadLabelSet, storeImage } from "@cxr/ingest";
import { type ObjectStorage } from "@cxr/storage";

const classKeys = ["normal", "pneumonia", "covid-19", "lung-opacity"];

/** A 32x32 grey image: level by class, a little per-image noise so no two share bytes. */
async function classImage(cls: number, n: number): Promise<Uint8Array> {
  const size = 32;
  const data = new Uint8Array(size * size);
  for (let i = 0; i < data.length; i++) data[i] = Math.min(255, 30 + cls * 60 + ((i * 7 + n * 13) % 11));
  // the noise pattern repeats every 11 images: a corner pixel keeps every image's bytes its own
  data[0] = n % 256;
  return encodeGrey8Png({ width: size, height: size, data });
}

export async function importTrainingImages(
  ctx: { db: Db; storage: ObjectStorage },
  opts: { labelledPerClass: number; unlabelled: number; tag: string },
): Promise<void> {
  const labelSet = await loadLabelSet(ctx.db, "cxr-4class");
  const total = opts.labelledPerClass * classKeys.length + opts.unlabelled;
  for (let n = 0; n < total; n++) {
    const cls = n % classKeys.length;
    const labelled = n < opts.labelledPerClass * classKeys.length;
    const prepared = await prepareImage(await classImage(cls, n), `${opts.tag}-${n}.png`);
    await storeImage(ctx, {
      prepared,
      patient: { source: "FOLDER", externalId: `${opts.tag}-patient-${n}` },
      study: { key: `${opts.tag}-study-${n}` },
      image: { source: "FOLDER", modality: "DX" },
      label: labelled
        ? { labelSetId: labelSet.id, classId: labelSet.classes.get(classKeys[cls]!)! }
        : undefined,
    });
  }
}
