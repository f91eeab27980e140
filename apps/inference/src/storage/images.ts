// Image masters in, Grad-CAM maps out, through the same content-addressed storage the ingest uses.
import type { Db, Prisma } from "@cxr/db";
import { decodeMasterPng, encodeMasterPng } from "@cxr/imaging";
import { ObjectCorruptError, ObjectNotFoundError, type ObjectStorage } from "@cxr/storage";
import type { GrayImage, HeatMap } from "../engine/types";

export class ImageUnavailableError extends Error {
  constructor(imageId: string, why: string) {
    super(`image ${imageId} cannot be used: ${why}`);
    this.name = "ImageUnavailableError";
  }
}

/** The image's 16-bit master as the models' float grey image in [0, 1]. */
export async function loadMaster(
  storage: ObjectStorage,
  image: { id: string; masterSha256: string | null },
): Promise<GrayImage> {
  if (!image.masterSha256) throw new ImageUnavailableError(image.id, "it has no decoded master");
  let grey;
  try {
    grey = await decodeMasterPng(await storage.get(image.masterSha256));
  } catch (error) {
    // missing, corrupt or undecodable bytes will not get better on a retry
    if (error instanceof ObjectNotFoundError || error instanceof ObjectCorruptError || !isTransient(error))
      throw new ImageUnavailableError(image.id, error instanceof Error ? error.message : String(error));
    throw error;
  }
  const data = new Float32Array(grey.data.length);
  for (let i = 0; i < data.length; i++) data[i] = (grey.data[i] ?? 0) / 65535;
  return { width: grey.width, height: grey.height, data };
}

/** Stores a map as a 16-bit grey PNG (like an image master) and returns its key. */
export async function storeHeatMap(
  storage: ObjectStorage,
  db: Pick<Db, "storedObject"> | Pick<Prisma.TransactionClient, "storedObject">,
  map: HeatMap,
): Promise<string> {
  const data = new Uint16Array(map.data.length);
  for (let i = 0; i < data.length; i++)
    data[i] = Math.round(Math.min(1, Math.max(0, map.data[i] ?? 0)) * 65535);
  const png = await encodeMasterPng({ width: map.width, height: map.height, data });
  const put = await storage.put(png, { contentType: "image/png" });
  // ON CONFLICT DO NOTHING: replicas storing the same map at once neither fail nor wait on each other
  await db.storedObject.createMany({
    data: [{ sha256: put.sha256, byteSize: put.byteSize, mimeType: "image/png", kind: "GRADCAM" }],
    skipDuplicates: true,
  });
  return put.sha256;
}

/** Network and file-system hiccups (S3 throttling, EMFILE) are worth a retry; anything else is not. */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const name = (error as { name?: unknown } | null)?.name;
  return (
    (typeof code === "string" && /^(E[A-Z]+)$/.test(code) && code !== "ENOENT") ||
    name === "TimeoutError" ||
    name === "ThrottlingException" ||
    name === "ServiceUnavailable"
  );
}
