// The STOW-RS receiver's logic (PS3.18 10.5), for hospitals that push: an HTTP route hands it the request's
// Content-Type and body and sends back the status and DICOM JSON it returns. Each instance is validated and
// stored on its own; the response lists the stored ones and the refused ones with a reason.
import { describeError, prepareImage, RejectedFileError } from "@cxr/imaging";
import type { IngestContext } from "../context";
import { dicomRequest } from "../dicom-request";
import { storeImage } from "../store-image";
import { TAG, type DicomJson } from "./dicom-json";
import { contentTypeParams, MultipartError, parseMultipart } from "./multipart";

export interface StowResponse {
  /** 200 all stored, 202 some refused, 409 none stored, 415 not a multipart/related DICOM request, 400 unreadable */
  status: 200 | 202 | 400 | 409 | 415;
  body: DicomJson;
  /** for logs and tests: what happened to each part */
  results: {
    status: "IMPORTED" | "DUPLICATE" | "REFUSED";
    sopInstanceUid?: string;
    imageIds: string[];
    message?: string;
  }[];
}

// PS3.18 table I.2-1 failure reasons
const PROCESSING_FAILURE = 0x0110;
const CANNOT_UNDERSTAND = 0xc000;
const SOP_CLASS_NOT_SUPPORTED = 0x0122;

export async function receiveStow(
  ctx: IngestContext,
  contentType: string,
  body: Uint8Array,
): Promise<StowResponse> {
  const { mediaType, params } = contentTypeParams(contentType);
  if (
    mediaType !== "multipart/related" ||
    (params.type && params.type.toLowerCase() !== "application/dicom")
  ) {
    return { status: 415, body: {}, results: [] };
  }
  let parts;
  try {
    parts = parseMultipart(body, contentType);
  } catch (error) {
    if (error instanceof MultipartError) return { status: 400, body: {}, results: [] };
    throw error;
  }
  const referenced: DicomJson[] = [];
  const failed: DicomJson[] = [];
  const results: StowResponse["results"] = [];
  for (const part of parts) {
    let sopInstanceUid: string | undefined;
    let sopClassUid: string | undefined;
    try {
      const prepared = await prepareImage(part.body, "stow.dcm", {
        limits: ctx.limits,
        deidentify: ctx.deidentify,
        frame: ctx.frame,
      });
      if (prepared.kind !== "dicom") throw new RejectedFileError("NOT_DICOM", "a STOW-RS part must be DICOM");
      sopInstanceUid = prepared.dicom?.sopInstanceUid;
      sopClassUid = prepared.dicom?.sopClassUid;
      const described = dicomRequest(prepared, "DICOMWEB", `stow:${sopInstanceUid ?? "unknown"}`);
      if ("status" in described) {
        failed.push(failure(sopClassUid, sopInstanceUid, SOP_CLASS_NOT_SUPPORTED));
        results.push({ status: "REFUSED", sopInstanceUid, imageIds: [], message: described.message });
        continue;
      }
      const outcome = await storeImage(ctx, { prepared, ...described });
      referenced.push({
        [TAG.ReferencedSOPClassUID]: { vr: "UI", Value: [sopClassUid ?? ""] },
        [TAG.ReferencedSOPInstanceUID]: { vr: "UI", Value: [sopInstanceUid ?? ""] },
      });
      results.push({ status: outcome.status, sopInstanceUid, imageIds: outcome.imageIds });
    } catch (error) {
      const reason = error instanceof RejectedFileError ? CANNOT_UNDERSTAND : PROCESSING_FAILURE;
      failed.push(failure(sopClassUid, sopInstanceUid, reason));
      results.push({ status: "REFUSED", sopInstanceUid, imageIds: [], message: describeError(error) });
    }
  }
  const responseBody: DicomJson = {};
  if (referenced.length) responseBody[TAG.ReferencedSOPSequence] = { vr: "SQ", Value: referenced };
  if (failed.length) responseBody[TAG.FailedSOPSequence] = { vr: "SQ", Value: failed };
  const status = failed.length === 0 ? 200 : referenced.length === 0 ? 409 : 202;
  return { status, body: responseBody, results };
}

function failure(
  sopClassUid: string | undefined,
  sopInstanceUid: string | undefined,
  reason: number,
): DicomJson {
  return {
    [TAG.ReferencedSOPClassUID]: { vr: "UI", Value: sopClassUid ? [sopClassUid] : [] },
    [TAG.ReferencedSOPInstanceUID]: { vr: "UI", Value: sopInstanceUid ? [sopInstanceUid] : [] },
    [TAG.FailureReason]: { vr: "US", Value: [reason] },
  };
}
