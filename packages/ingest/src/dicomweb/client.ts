// A DICOMweb client for a configured PACS: QIDO-RS search, WADO-RS retrieve, STOW-RS store (PS3.18).
import { z } from "zod";
import { credentialsFromUrl, redactUrl } from "../redact-url";
import { dicomJsonSchema, jsonString, TAG, type DicomJson } from "./dicom-json";
import { buildMultipart, contentTypeParams, parseMultipart } from "./multipart";

export interface StudyQuery {
  /** studies on or after this day */
  since?: Date;
  until?: Date;
  /** Modalities in Study, e.g. "DX" or "CR" */
  modality?: string;
  /** matched with wildcards on both sides, case-insensitively where the server supports fuzzy matching */
  studyDescription?: string;
  limit?: number;
}

export interface InstanceRef {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
}

export class DicomwebError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "DicomwebError";
  }
}

const da = (date: Date) => date.toISOString().slice(0, 10).replace(/-/g, "");

export class DicomwebClient {
  /** the server's URL without credentials: the only form that appears in requests' messages and sourceRefs */
  private readonly base: string;
  private readonly headers: Record<string, string>;

  constructor(url: string, headers: Record<string, string> = {}) {
    const parsed = z.url({ error: `the DICOMweb URL ${redactUrl(url)} is not a URL` }).parse(url);
    // fetch refuses URLs with credentials, and they must not reach messages: user:pass becomes Basic auth
    const { url: bare, authorization } = credentialsFromUrl(parsed);
    this.base = bare.replace(/\/+$/, "");
    this.headers = authorization ? { Authorization: authorization, ...headers } : { ...headers };
  }

  private async request(path: string, init: RequestInit & { accept: string }): Promise<Response> {
    const url = `${this.base}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        ...init,
        headers: { ...this.headers, ...(init.headers as Record<string, string>), Accept: init.accept },
      });
    } catch (error) {
      throw new DicomwebError(
        `cannot reach the DICOMweb server at ${url}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (!response.ok && response.status !== 202) {
      const text = (await response.text()).slice(0, 300);
      throw new DicomwebError(
        `${init.method ?? "GET"} ${url} answered ${response.status} ${response.statusText}${text ? `: ${text}` : ""}`,
        response.status,
      );
    }
    return response;
  }

  private async json(path: string): Promise<DicomJson[]> {
    const response = await this.request(path, { accept: "application/dicom+json" });
    if (response.status === 204) return [];
    const body: unknown = await response.json();
    const parsed = z.array(dicomJsonSchema).safeParse(body);
    if (!parsed.success) throw new DicomwebError(`${path}: the server's answer is not DICOM JSON`);
    return parsed.data;
  }

  /** QIDO-RS: studies by date range, modality and description. */
  async searchStudies(query: StudyQuery = {}): Promise<DicomJson[]> {
    const params = new URLSearchParams();
    if (query.since || query.until)
      params.set("StudyDate", `${query.since ? da(query.since) : ""}-${query.until ? da(query.until) : ""}`);
    if (query.modality) params.set("ModalitiesInStudy", query.modality);
    if (query.studyDescription) params.set("StudyDescription", `*${query.studyDescription}*`);
    if (query.limit) params.set("limit", String(query.limit));
    params.append("includefield", TAG.StudyDescription);
    params.append("includefield", TAG.ModalitiesInStudy);
    return this.json(`/studies?${params.toString()}`);
  }

  /** QIDO-RS: the instances of one study. */
  async searchInstances(studyInstanceUid: string): Promise<InstanceRef[]> {
    const items = await this.json(`/studies/${encodeURIComponent(studyInstanceUid)}/instances`);
    return items.flatMap((item) => {
      const series = jsonString(item, TAG.SeriesInstanceUID);
      const sop = jsonString(item, TAG.SOPInstanceUID);
      return series && sop ? [{ studyInstanceUid, seriesInstanceUid: series, sopInstanceUid: sop }] : [];
    });
  }

  instanceUrl(ref: InstanceRef): string {
    return `${this.base}/studies/${ref.studyInstanceUid}/series/${ref.seriesInstanceUid}/instances/${ref.sopInstanceUid}`;
  }

  /** WADO-RS: one instance as a DICOM Part 10 file, in whatever transfer syntax the server holds. */
  async retrieveInstance(ref: InstanceRef): Promise<Buffer> {
    const path = `/studies/${ref.studyInstanceUid}/series/${ref.seriesInstanceUid}/instances/${ref.sopInstanceUid}`;
    const response = await this.request(path, {
      accept: 'multipart/related; type="application/dicom"; transfer-syntax=*',
    });
    const contentType = response.headers.get("content-type") ?? "";
    const body = Buffer.from(await response.arrayBuffer());
    if (contentTypeParams(contentType).mediaType === "application/dicom") return body;
    const parts = parseMultipart(body, contentType);
    const part = parts[0];
    if (!part) throw new DicomwebError(`${path}: the server returned no instance`);
    return part.body;
  }

  /** STOW-RS: stores instances; returns the server's response (referenced and failed SOP sequences). */
  async store(instances: Uint8Array[]): Promise<DicomJson> {
    const { body, boundary } = buildMultipart(
      instances.map((bytes) => ({ contentType: "application/dicom", body: bytes })),
    );
    const response = await this.request("/studies", {
      method: "POST",
      accept: "application/dicom+json",
      headers: { "Content-Type": `multipart/related; type="application/dicom"; boundary=${boundary}` },
      // a copy typed as fetch wants it (a Buffer may view shared memory)
      body: Uint8Array.from(body),
    });
    const text = await response.text();
    if (!text) return {};
    return dicomJsonSchema.parse(JSON.parse(text));
  }
}
