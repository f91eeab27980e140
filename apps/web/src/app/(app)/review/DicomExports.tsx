"use client";
// A DICOM image's latest read as DICOM objects: download the Structured Report (TID 1500) or the Segmentation,
// or send both to the configured PACS over STOW-RS, with what the PACS stored (or why not) shown. Readers and
// admins only (the workspace leaves it out of annotators' tasks; the server checks the role again).
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import "../audit/audit.css";

export function DicomExports({ imageId }: { imageId: string }) {
  const trpc = useTRPC();
  const push = useMutation(trpc.exports.pushToPacs.mutationOptions());
  const q = new URLSearchParams({ imageId }).toString();
  return (
    <section className="review-panel" data-testid="dicom-exports" aria-label="DICOM exports">
      <h2 className="review-panel__title">DICOM</h2>
      <p className="review-muted">The latest read, as the PACS files it: beside the image.</p>
      <div className="audit-links">
        <a
          href={`/api/exports/dicom-sr.dcm?${q}`}
          download={`sr-${imageId}.dcm`}
          data-testid="export-dicom-sr"
        >
          Structured Report
        </a>
        <a
          href={`/api/exports/dicom-seg.dcm?${q}`}
          download={`seg-${imageId}.dcm`}
          data-testid="export-dicom-seg"
        >
          Segmentation
        </a>
        <button
          type="button"
          data-testid="push-pacs"
          disabled={push.isPending}
          onClick={() => push.mutate({ imageId })}
        >
          {push.isPending ? "Sending…" : "Send to PACS"}
        </button>
      </div>
      {push.isError ? (
        <p role="alert">Not sent: {push.error.message}</p>
      ) : push.data ? (
        <p role="status" data-testid="push-pacs-result">
          Stored in {push.data.pacs}: {push.data.stored.map((s) => s.kind).join(" and ")}
          {push.data.skipped.length > 0 ? ` (${push.data.skipped.join("; ")})` : ""}
        </p>
      ) : null}
    </section>
  );
}
