// POST /api/backbones?architecture=vgg16: an administrator's Keras weight file, streamed to disk under the size
// cap (never buffered whole by the request), checked to be HDF5, put in the shared object storage and handed to
// the inference service, which imports and registers it as the architecture's pretrained backbone (it checks
// the layers and the acting admin again). A refused file is a 4xx with the reason; nothing is registered.
import { open, readFile, rm } from "node:fs/promises";
import { DomainError, httpStatusOf, isDomainError, requireActiveAccount } from "@cxr/domain";
import type { Db } from "@cxr/db";
import { backboneArchitectureSchema, type BackboneView } from "@cxr/inference-api";
import type { InferenceClient } from "@cxr/inference-api/client";
import type { ObjectStorage } from "@cxr/storage";
import { type Session } from "next-auth";
import { formatBytes } from "~/lib/format";
import { cleanUploadPath } from "~/lib/upload/protocol";
import { serviceCall } from "./models/client";
import { checkHeaders } from "./upload";
import { spoolMultipart } from "./upload-body";

export type BackbonesClient = Pick<InferenceClient, "backbones">;

export interface BackboneUploadDeps {
  db: Db;
  storage: ObjectStorage;
  session: Session | null;
  client: BackbonesClient;
  maxFileBytes: number;
  tmpDir: string;
}

const hdf5Signature = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

const tooLarge = (maxFileBytes: number, size?: number) =>
  new DomainError(
    "PAYLOAD_TOO_LARGE",
    `The file${size === undefined ? "" : ` (${formatBytes(size)})`} is above the limit of ${formatBytes(maxFileBytes)}. Upload the notop weights (include_top=False).`,
  );

/** Keras files start with HDF5's signature; anything else is refused before it reaches the object storage. */
async function assertHdf5(file: string, name: string): Promise<void> {
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    if (bytesRead < 8 || !head.equals(hdf5Signature))
      throw new DomainError(
        "BAD_REQUEST",
        `${name} is not an HDF5 file: upload a Keras weight file (.h5 or .weights.h5).`,
      );
  } finally {
    await handle.close();
  }
}

export async function registerUploadedBackbone(
  request: Request,
  deps: BackboneUploadDeps,
): Promise<BackboneView> {
  if (!deps.session) throw new DomainError("UNAUTHORIZED", "Sign in to upload weights.");
  const account = await requireActiveAccount(deps.db, deps.session.user.id, ["ADMIN"]);
  const architecture = backboneArchitectureSchema.safeParse(
    new URL(request.url).searchParams.get("architecture"),
  );
  if (!architecture.success)
    throw new DomainError("BAD_REQUEST", "Choose the architecture: vgg16, densenet121 or resnet50.");
  const { contentType, maxBody } = checkHeaders(request, deps.maxFileBytes, tooLarge);
  const spooled = await spoolMultipart(request, contentType, deps.tmpDir, {
    maxFileBytes: deps.maxFileBytes,
    maxBodyBytes: maxBody,
    tooLarge: () => tooLarge(deps.maxFileBytes),
  });
  try {
    const [upload, ...more] = spooled.files;
    if (!upload || more.length > 0) throw new DomainError("BAD_REQUEST", "Upload one weight file.");
    // the service records it as a bare file name
    const name = (cleanUploadPath(upload.filename).split("/").pop() ?? "").slice(0, 255) || "weights.h5";
    await assertHdf5(upload.file, name);
    const { sha256 } = await deps.storage.put(await readFile(upload.file), {
      contentType: "application/x-hdf5",
    });
    const result = await serviceCall(() =>
      deps.client.backbones.register.mutate({
        architecture: architecture.data,
        sourceFile: name,
        objectKey: sha256,
        actorId: account.id,
      }),
    );
    return result.backbone;
  } finally {
    await rm(spooled.dir, { recursive: true, force: true });
  }
}

/** The route's answer: the registered backbone, or `{ error }` with the refusal's status. */
export async function handleBackboneUpload(request: Request, deps: BackboneUploadDeps): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  try {
    return Response.json({ backbone: await registerUploadedBackbone(request, deps) }, { headers });
  } catch (error) {
    if (isDomainError(error))
      return Response.json({ error: error.message }, { status: httpStatusOf(error.code), headers });
    console.error("backbone upload failed:", error);
    return Response.json(
      {
        error: "The server could not register the weights. Try again; if it keeps happening, check its log.",
      },
      { status: 500, headers },
    );
  }
}

/** Registered backbones, newest first (the newest of each architecture is the one training uses). */
export function listBackbones(client: BackbonesClient): Promise<BackboneView[]> {
  return serviceCall(() => client.backbones.list.query({}));
}
