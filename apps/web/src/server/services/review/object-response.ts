// Image and Grad-CAM bytes for the viewer, by id only (never a client-given path), after an access check.
// They are patient images: never kept by the browser or any cache on disk (`private, no-store`), so a shared
// workstation or a proxy keeps no copy once the reader is gone. (The viewer keeps decoded images in memory.)
import { type Db } from "@cxr/db";
import { DomainError, httpStatusOf, idSchema, isDomainError, requireActiveAccount } from "@cxr/domain";
import { ObjectNotFoundError, type ObjectStorage } from "@cxr/storage";
import { type Session } from "next-auth";
import { z } from "zod";
import { canSeeImage, gradCamObject, imageObjectKey } from "./access";
import { maySeeModelOutput } from "./visibility";

export const objectRequestSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("image"),
    imageId: idSchema,
    kind: z.enum(["master", "preview"]),
  }),
  z.object({ type: z.literal("gradcam"), mapId: idSchema }),
]);
export type ObjectRequest = z.infer<typeof objectRequestSchema>;

interface Deps {
  db: Db;
  storage: ObjectStorage;
  session: Session | null;
}

const text = (status: number, message: string) =>
  new Response(message, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });

export async function objectResponse(raw: unknown, deps: Deps): Promise<Response> {
  try {
    return await checkedObjectResponse(raw, deps);
  } catch (error) {
    if (isDomainError(error)) return text(httpStatusOf(error.code), error.message);
    throw error;
  }
}

async function checkedObjectResponse(raw: unknown, deps: Deps): Promise<Response> {
  if (!deps.session) throw new DomainError("UNAUTHORIZED", "Sign in to continue.");
  const account = await requireActiveAccount(deps.db, deps.session.user.id);

  const parsed = objectRequestSchema.safeParse(raw);
  if (!parsed.success) throw new DomainError("BAD_REQUEST", "Unknown object.");
  const req = parsed.data;
  let imageId: string;
  let key: string | null;
  if (req.type === "image") {
    imageId = req.imageId;
    key = await imageObjectKey(deps.db, imageId, req.kind);
  } else {
    const map = await gradCamObject(deps.db, req.mapId);
    imageId = map?.imageId ?? "";
    key = map?.key ?? null;
  }
  if (!key) throw new DomainError("NOT_FOUND", "This image does not exist.");
  if (!(await canSeeImage(deps.db, account, imageId)))
    throw new DomainError("FORBIDDEN", "Your role does not allow you to see this image.");
  // a blinded reader sees no heat map of the case until their decision is in
  if (req.type === "gradcam" && !(await maySeeModelOutput(deps.db, account.id, imageId)))
    throw new DomainError(
      "FORBIDDEN",
      "This case is blinded: its heat maps are hidden until you have submitted your decision.",
    );

  let bytes: Buffer;
  try {
    bytes = await deps.storage.get(key);
  } catch (error) {
    if (error instanceof ObjectNotFoundError)
      throw new DomainError("NOT_FOUND", "The image's bytes are missing from storage.", { cause: error });
    throw error;
  }
  return new Response(new Uint8Array(bytes), {
    status: 200,
    headers: {
      "cache-control": "private, no-store",
      "content-type": "image/png",
      "content-length": String(bytes.byteLength),
    },
  });
}
