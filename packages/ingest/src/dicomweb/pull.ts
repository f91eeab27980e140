// `ingest dicomweb --url URL [--since DATE]`: QIDO-RS finds the studies, WADO-RS fetches each instance, and each
// instance is one item of a resumable job (keyed by its SOP Instance UID).
import { prepareImageFrames } from "@cxr/imaging";
import type { IngestContext } from "../context";
import { dicomRequest } from "../dicom-request";
import { runJob, type RunOptions, type RunResult, type WorkItem } from "../runner";
import { storeImage } from "../store-image";
import { DicomwebClient, type StudyQuery } from "./client";
import { jsonString, TAG } from "./dicom-json";

export interface PullRequest extends StudyQuery {
  url: string;
  headers?: Record<string, string>;
}

export async function pullFromDicomweb(
  ctx: IngestContext,
  request: PullRequest,
  options: RunOptions = {},
): Promise<RunResult> {
  const client = new DicomwebClient(request.url, request.headers);
  const studies = await client.searchStudies(request);
  const items: WorkItem[] = [];
  for (const study of studies) {
    const studyUid = jsonString(study, TAG.StudyInstanceUID);
    if (!studyUid) continue;
    for (const ref of await client.searchInstances(studyUid)) {
      items.push({
        key: ref.sopInstanceUid,
        async run(record) {
          const bytes = await client.retrieveInstance(ref);
          // a multi-frame instance is decoded and stored one frame at a time
          const prepared = await prepareImageFrames(bytes, `${ref.sopInstanceUid}.dcm`, {
            limits: ctx.limits,
            deidentify: ctx.deidentify,
            frame: ctx.frame,
          });
          try {
            const described = dicomRequest(prepared, "DICOMWEB", client.instanceUrl(ref));
            if ("status" in described) return described;
            const outcome = await storeImage(ctx, { prepared, ...described }, record);
            return { status: outcome.status, imageIds: outcome.imageIds };
          } finally {
            await prepared.close();
          }
        },
      });
    }
  }
  const spec = {
    format: "dicomweb",
    sourceRef: request.url, // startOrResumeJob stores it without credentials
    options: {
      since: request.since?.toISOString().slice(0, 10),
      until: request.until?.toISOString().slice(0, 10),
      modality: request.modality,
      studyDescription: request.studyDescription,
    },
  };
  return runJob(ctx, spec, items, options);
}
