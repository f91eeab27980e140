// Cases for the review tests (vitest and Playwright): phantom-like images with a prediction of their own
// model version and a Grad-CAM map per class, written through the same storage the app reads.
import { type Db } from "@cxr/db";
import { encodeGrey8Png, encodeMasterPng } from "@cxr/imaging";
import { sha256Hex, type ObjectStorage } from "@cxr/storage";
import type { Draft } from "../src/lib/review/draft";

export interface ReviewFixture {
  modelVersionId: string;
  labelSetId: string;
  /** image ids, most uncertain first (the queue's order) */
  imageIds: string[];
  classIds: Record<string, string>;
}

/** A reader's draft with nothing decided yet; `over` sets what a test needs. */
export const blankDraft = (over: Partial<Draft> = {}): Draft => ({
  version: 1,
  baseReadId: null,
  classId: null,
  notDiagnostic: false,
  secondOpinion: false,
  comment: "",
  rois: [],
  elapsedMs: 0,
  savedAt: 1,
  ...over,
});

interface Options {
  count: number;
  size?: number;
  /** a distinct tag so parallel runs and reruns never share rows */
  tag: string;
}

export async function createReviewFixture(
  db: Db,
  storage: ObjectStorage,
  opts: Options,
): Promise<ReviewFixture> {
  const size = opts.size ?? 256;
  const labelSet = await db.labelSet.findUniqueOrThrow({
    where: { name: "cxr-4class" },
    include: { classes: { orderBy: { index: "asc" } } },
  });
  const model = await createModelVersion(
    db,
    labelSet.id,
    labelSet.classes.map((c) => c.key),
    opts.tag,
  );
  const patient = await db.patient.create({
    data: { source: "SYNTHETIC", externalId: `fixture-${opts.tag}`, sex: "FEMALE" },
  });
  const study = await db.study.create({
    data: { patientId: patient.id, description: `Fixture study ${opts.tag}` },
  });

  const master = await store(storage, db, await encodeMasterPng(phantom(size, opts.tag)), "MASTER");
  const preview = await store(
    storage,
    db,
    await encodeGrey8Png(toGrey8(phantom(Math.min(size, 256), opts.tag))),
    "PREVIEW",
  );
  const k = labelSet.classes.length;
  const rows: { id: string; entropy: number }[] = [];
  for (let n = 0; n < opts.count; n++) {
    const image = await db.image.create({
      data: {
        studyId: study.id,
        source: "SYNTHETIC",
        sourceRef: `fixture/${opts.tag}/${n}.png`,
        modality: "DX",
        viewPosition: n % 2 ? "AP" : "PA",
        status: "READY",
        originalSha256: master,
        masterSha256: master,
        previewSha256: preview,
        mimeType: "image/png",
        byteSize: 1,
        width: size,
        height: size,
        bitsStored: 16,
        photometric: "MONOCHROME2",
        windowCenter: 32768,
        windowWidth: 65536,
        ageYears: 40 + n,
        finding: "fixture",
      },
    });
    // the first images are the most uncertain: probabilities flatten as n decreases
    const peak = 0.3 + (0.6 * n) / Math.max(1, opts.count);
    const top = n % k;
    const probabilities = labelSet.classes.map((_, i) => (i === top ? peak : (1 - peak) / (k - 1)));
    const entropy = -probabilities.reduce((s, p) => s + (p > 0 ? p * Math.log(p) : 0), 0);
    const prediction = await db.prediction.create({
      data: {
        imageId: image.id,
        modelVersionId: model.id,
        probabilities,
        predictedClassId: labelSet.classes[top]!.id,
        confidence: peak,
        entropy,
        margin: peak - (1 - peak) / (k - 1),
      },
    });
    for (const [i, c] of labelSet.classes.entries()) {
      const mapKey = await store(storage, db, await encodeMasterPng(blob(14, i)), "GRADCAM");
      await db.gradCamMap.create({
        data: {
          predictionId: prediction.id,
          classId: c.id,
          targetLayer: "conv4",
          mapSha256: mapKey,
          width: 14,
          height: 14,
        },
      });
    }
    rows.push({ id: image.id, entropy });
  }
  rows.sort((a, b) => b.entropy - a.entropy);
  return {
    modelVersionId: model.id,
    labelSetId: labelSet.id,
    imageIds: rows.map((r) => r.id),
    classIds: Object.fromEntries(labelSet.classes.map((c) => [c.key, c.id])),
  };
}

/** The next version number of the label set; the demo's training may take the same one meanwhile: retry. */
async function createModelVersion(db: Db, labelSetId: string, classKeys: string[], tag: string) {
  for (let attempt = 0; ; attempt++) {
    const last = await db.modelVersion.findFirst({ where: { labelSetId }, orderBy: { version: "desc" } });
    try {
      return await db.modelVersion.create({
        data: {
          labelSetId,
          version: (last?.version ?? 0) + 1,
          name: `fixture-${tag}`,
          architecture: "COMPACT_CNN",
          inputSize: 224,
          targetLayer: "conv4",
          classKeys,
          storageUri: `memory://fixture-${tag}`,
          checksum: tag,
        },
      });
    } catch (error) {
      const unique = (error as { code?: string }).code === "P2002";
      if (!unique || attempt >= 5) throw error;
    }
  }
}

async function store(storage: ObjectStorage, db: Db, png: Buffer, kind: string): Promise<string> {
  const put = await storage.put(png, { contentType: "image/png" });
  await db.storedObject.upsert({
    where: { sha256: put.sha256 },
    create: { sha256: put.sha256, byteSize: put.byteSize, mimeType: "image/png", kind },
    update: {},
  });
  if (put.sha256 !== sha256Hex(png)) throw new Error("storage returned another key");
  return put.sha256;
}

/** Two dark lung fields in a bright body, with a tag-dependent texture. */
function phantom(size: number, tag: string) {
  const data = new Uint16Array(size * size);
  const seed = [...tag].reduce((s, c) => s + c.charCodeAt(0), 0);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = x / size - 0.5;
      const v = y / size - 0.5;
      const lung = ((Math.abs(u) - 0.2) / 0.14) ** 2 + (v / 0.32) ** 2 < 1;
      const body = u * u + v * v < 0.2;
      const texture = Math.sin((x + seed) / 7) * Math.cos(y / 9) * 2000;
      data[y * size + x] = Math.max(0, Math.min(65535, (lung ? 14000 : body ? 42000 : 3000) + texture));
    }
  }
  return { width: size, height: size, data };
}

function toGrey8(g: { width: number; height: number; data: Uint16Array }) {
  return { width: g.width, height: g.height, data: Uint8Array.from(g.data, (v) => v >> 8) };
}

/** A heat blob whose place depends on the class, so toggling classes visibly changes the overlay. */
function blob(size: number, cls: number) {
  const data = new Uint16Array(size * size);
  const cx = cls % 2 ? 0.7 : 0.3;
  const cy = cls < 2 ? 0.4 : 0.65;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const d = (x / size - cx) ** 2 + (y / size - cy) ** 2;
      data[y * size + x] = Math.round(65535 * Math.exp(-d / 0.02));
    }
  return { width: size, height: size, data };
}
