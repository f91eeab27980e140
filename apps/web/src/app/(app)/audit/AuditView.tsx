"use client";
// The FP/FN audit: a version (default the champion) over a scope, its confusion matrix with every cell a queue
// in the viewer, the COVID-19 operating point, a comparison with another version, and the exports.
import { Alert, Card, PageHeader } from "@cxr/ui";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { auditQueueHref, auditScopes, scopeLabels, type AuditScope } from "~/lib/audit/selection";
// type-only: the service module is server code and must not reach the browser bundle
import type { Confusion } from "~/server/services/audit/analysis";
import { useTRPC } from "~/trpc/react";
import { CamRoiCard } from "./CamRoiCard";
import { CompareCard } from "./CompareCard";
import { ThresholdCard } from "./ThresholdCard";
import "./audit.css";

const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

export function AuditView({ initialModelId }: { initialModelId: string | null }) {
  const trpc = useTRPC();
  const [modelId, setModelId] = useState<string | undefined>(initialModelId ?? undefined);
  const [scope, setScope] = useState<AuditScope>("test");
  const models = useQuery(trpc.review.modelVersions.queryOptions());
  const matrix = useQuery(trpc.audit.confusion.queryOptions({ modelVersionId: modelId, scope }));
  const resolved = matrix.data?.model.id ?? modelId;
  const filter = resolved ? { modelVersionId: resolved, scope } : null;

  return (
    <>
      <PageHeader
        title="Audit"
        description="False positives and negatives of a model version, computed from its stored predictions. Every cell opens its cases in the viewer."
      />
      <div className="audit-controls">
        <label>
          Model version
          <select
            data-testid="audit-model"
            value={resolved ?? ""}
            onChange={(e) => setModelId(e.target.value || undefined)}
          >
            {(models.data ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.label} {m.status === "CHAMPION" ? "(champion)" : `(${m.status.toLowerCase()})`}
              </option>
            ))}
          </select>
        </label>
        <label>
          Scope
          <select
            data-testid="audit-scope"
            value={scope}
            onChange={(e) => setScope(e.target.value as AuditScope)}
          >
            {auditScopes.map((s) => (
              <option key={s} value={s}>
                {scopeLabels[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {matrix.isError ? (
        <Alert tone="error">The audit could not be computed: {matrix.error.message}</Alert>
      ) : !matrix.data || !filter ? (
        <p role="status">Computing the confusion matrix…</p>
      ) : (
        <div className="audit-grid">
          <Card title={`Confusion matrix · ${matrix.data.model.label}`}>
            <ConfusionTable data={matrix.data} scope={scope} />
          </Card>
          <ThresholdCard filter={filter} />
          <CompareCard filter={filter} models={models.data ?? []} />
          <CamRoiCard filter={filter} />
          <Card title="Exports">
            <ExportLinks filter={filter} />
          </Card>
        </div>
      )}
    </>
  );
}

function ConfusionTable({ data, scope }: { data: Confusion; scope: AuditScope }) {
  const { classes, counts, rowTotals } = data;
  const critical = new Set(["pneumonia>covid-19", "covid-19>pneumonia"]);
  const href = (t: number, p: number) =>
    auditQueueHref({
      kind: "cell",
      modelVersionId: data.model.id,
      scope,
      truthKey: classes[t]!.key,
      predictedKey: classes[p]!.key,
    });
  if (data.total === 0)
    return <p className="audit-muted">No labelled case of this scope has a prediction of this version.</p>;
  return (
    <>
      <table className="audit-matrix" data-testid="confusion-matrix">
        <caption className="cxr-visually-hidden">Rows: true class; columns: predicted class</caption>
        <thead>
          <tr>
            <th scope="col">true ↓ / predicted →</th>
            {classes.map((c) => (
              <th key={c.id} scope="col">
                {c.name}
              </th>
            ))}
            <th scope="col">total</th>
          </tr>
        </thead>
        <tbody>
          {classes.map((tc, t) => (
            <tr key={tc.id}>
              <th scope="row">{tc.name}</th>
              {classes.map((pc, p) => {
                const n = counts[t]![p]!;
                const cls =
                  t === p
                    ? "audit-matrix__hit"
                    : critical.has(`${tc.key}>${pc.key}`) && n > 0
                      ? "audit-matrix__critical"
                      : "";
                return (
                  <td key={pc.id} className={cls}>
                    {n > 0 ? (
                      <Link href={href(t, p)} data-testid={`cell-${tc.key}-${pc.key}`}>
                        {n}
                        <span className="audit-rate">{percent(n / rowTotals[t]!)}</span>
                      </Link>
                    ) : (
                      <span className="audit-muted">0</span>
                    )}
                  </td>
                );
              })}
              <td>{rowTotals[t]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {data.total} labelled cases, {percent(data.correct / data.total)} right
        {data.unlabelled ? ` · ${data.unlabelled} predicted without a label` : ""}.
      </p>
      <h3>Errors, costliest first</h3>
      <ol className="audit-errors" data-testid="audit-errors">
        {data.errors.map((e) => (
          <li key={`${e.truthKey}-${e.predictedKey}`}>
            <Link
              href={auditQueueHref({ kind: "cell", modelVersionId: data.model.id, scope, ...e })}
              data-testid={`error-${e.truthKey}-${e.predictedKey}`}
            >
              {e.truthKey} → {e.predictedKey}
            </Link>
            : {e.count} ({percent(e.rowRate)} of {e.truthKey})
          </li>
        ))}
      </ol>
    </>
  );
}

function ExportLinks({ filter }: { filter: { modelVersionId: string; scope: AuditScope } }) {
  const q = new URLSearchParams(filter).toString();
  return (
    <>
      <p className="audit-muted">Everything in this scope, for other systems (streamed; any size).</p>
      <div className="audit-links">
        <a href={`/api/exports/labels.csv?${q}`} download data-testid="export-labels-csv">
          Labels (CSV)
        </a>
        <a href={`/api/exports/labels.json?${q}`} download data-testid="export-labels-json">
          Labels (JSON)
        </a>
        <a href={`/api/exports/coco.json?${q}`} download data-testid="export-coco">
          ROIs (COCO JSON)
        </a>
        <a href={`/api/exports/masks.zip?${q}`} download data-testid="export-masks">
          ROIs (PNG masks, zip)
        </a>
      </div>
    </>
  );
}
