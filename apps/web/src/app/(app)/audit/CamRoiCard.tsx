"use client";
// Grad-CAM against readers' ROIs for the audited version and scope: per predicted class the pointing game
// (strict and within 15 image pixels) and the mean share of the map's energy inside the ROIs, and the filter
// "right for the wrong reason" (correct, energy inside every read's ROIs under half) as a queue in the viewer.
import { Card } from "@cxr/ui";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { auditQueueHref, wrongReasonEnergy, type AuditScope } from "~/lib/audit/selection";
import { useTRPC } from "~/trpc/react";

const percent = (v: number) => `${(v * 100).toFixed(0)}%`;

export function CamRoiCard({ filter }: { filter: { modelVersionId: string; scope: AuditScope } }) {
  const trpc = useTRPC();
  const summary = useQuery(trpc.audit.camRoi.queryOptions(filter));
  const rows = summary.data?.classes ?? [];
  const wrong = rows.reduce((n, r) => n + r.wrongReason, 0);
  return (
    <Card title="Grad-CAM against readers' ROIs">
      {summary.isError ? (
        <p role="alert">These figures could not be computed: {summary.error.message}</p>
      ) : !summary.data ? (
        <p role="status">Computing…</p>
      ) : rows.length === 0 ? (
        <p className="audit-muted">No case of this scope has a reader's ROIs of its predicted class yet.</p>
      ) : (
        <>
          <table className="audit-matrix" data-testid="cam-roi-table">
            <thead>
              <tr>
                <th scope="col">predicted class</th>
                <th scope="col">cases</th>
                <th scope="col" title="the map's maximum inside an ROI">
                  pointing
                </th>
                <th scope="col" title="the maximum within 15 image pixels of an ROI">
                  15 px
                </th>
                <th scope="col" title="mean share of the map's energy inside the ROIs">
                  energy inside
                </th>
                <th scope="col">wrong reason</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.classKey}>
                  <th scope="row">{r.className}</th>
                  <td>{r.cases}</td>
                  <td>{percent(r.pointingStrict)}</td>
                  <td>{percent(r.pointingTolerant)}</td>
                  <td>{percent(r.meanEnergyInside)}</td>
                  <td>{r.wrongReason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            {wrong > 0 ? (
              <Link
                href={auditQueueHref({ kind: "wrongReason", ...filter })}
                data-testid="wrong-reason-queue"
              >
                Right for the wrong reason: {wrong} case{wrong === 1 ? "" : "s"} in the viewer
              </Link>
            ) : (
              <span className="audit-muted">No correct case is right for the wrong reason.</span>
            )}{" "}
            <span className="audit-muted">
              (correct, with under {percent(wrongReasonEnergy)} of the map&apos;s energy inside every
              reader&apos;s ROIs)
            </span>
          </p>
        </>
      )}
    </Card>
  );
}
