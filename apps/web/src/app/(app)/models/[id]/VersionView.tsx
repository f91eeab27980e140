"use client";
import { Alert, Card, PageHeader } from "@cxr/ui";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { Figure, GateVerdict, ModelStatus, sourceLabel } from "../format";
import { PrChart, ReliabilityChart, RocChart, TrainingCurves } from "./Charts";
import { DecisionPanel } from "./DecisionPanel";
import { RescoreProgress } from "./RescoreProgress";
import { ClassTable, ConfusionMatrix, GateTable } from "./Tables";

export function VersionView({ id, canChange }: { id: string; canChange: boolean }) {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.models.get.queryOptions({ id }), staleTime: 0 });
  if (q.isError) return <Alert tone="error">This model version could not be loaded: {q.error.message}</Alert>;
  if (q.isPending) return <p role="status">Loading the model version…</p>;
  const m = q.data;
  return (
    <div className="stack">
      <PageHeader
        title={`${m.labelSet} v${m.version}`}
        description={`${m.name} · every figure below is model version v${m.version}'s, on its locked test split`}
      />
      <Card title="Version">
        <dl className="models-facts">
          <dt>Status</dt>
          <dd data-testid="model-status">
            <ModelStatus status={m.status} /> <GateVerdict passed={m.gatePassed} />
          </dd>
          <dt>Architecture</dt>
          <dd>
            {m.architecture.toLowerCase()}
            {m.mode ? `, ${m.mode.toLowerCase().replace(/_/g, " ")}` : ""}
          </dd>
          <dt>Created</dt>
          <dd>
            {formatDateTime(m.createdAt)} {m.createdBy ? `by ${m.createdBy}` : "by the service"}
          </dd>
          {m.promotedAt && (
            <>
              <dt>Promoted</dt>
              <dd>
                {formatDateTime(m.promotedAt)} {m.promotedBy ? `by ${m.promotedBy}` : "by the gate"}
              </dd>
            </>
          )}
          <dt>Lineage</dt>
          <dd data-testid="lineage">
            {m.lineage.length === 0
              ? "no parent (trained from scratch)"
              : m.lineage.map((p) => (
                  <span key={p.id}>
                    ← <Link href={`/models/${p.id}`}>v{p.version}</Link> ({p.status.toLowerCase()}
                    {p.labelsSinceParent !== null
                      ? `, ${p.labelsSinceParent} labels added since its parent`
                      : ""}
                    ){" "}
                  </span>
                ))}
            {m.labelsSinceParent !== null && ` · ${m.labelsSinceParent} labels added since the parent`}
          </dd>
          <dt>Trained on, by source</dt>
          <dd data-testid="lineage-sources">
            {m.trainedOn.bySource
              ? Object.entries(m.trainedOn.bySource)
                  .map(([source, n]) => `${sourceLabel[source] ?? source} ${n}`)
                  .join(" · ")
              : "not recorded"}
          </dd>
          <dt>Trained on, by reader</dt>
          <dd data-testid="lineage-readers">
            {!m.trainedOn.byReader
              ? "not recorded"
              : m.trainedOn.byReader.top.length === 0
                ? "no reader's labels (imported only)"
                : [
                    ...m.trainedOn.byReader.top.map((r) => `${r.name} ${r.labels}`),
                    ...(m.trainedOn.byReader.rest.readers > 0
                      ? [
                          `${m.trainedOn.byReader.rest.readers} other readers ${m.trainedOn.byReader.rest.labels}`,
                        ]
                      : []),
                  ].join(" · ")}
          </dd>
          <dt>Champion now</dt>
          <dd>
            {m.currentChampion ? (
              <Link href={`/models/${m.currentChampion.id}`}>v{m.currentChampion.version}</Link>
            ) : (
              "none"
            )}
          </dd>
          <dt>Checksum</dt>
          <dd>
            <code data-testid="checksum">{m.checksum}</code>
          </dd>
          <dt>Accuracy (95% CI)</dt>
          <dd>
            <Figure f={m.accuracy} />
          </dd>
          <dt>Macro AUC (95% CI)</dt>
          <dd>
            <Figure f={m.auc} />
          </dd>
          <dt>Model card</dt>
          <dd data-testid="model-card">
            <a href={m.modelCard.md} download>
              Markdown
            </a>{" "}
            /{" "}
            <a href={m.modelCard.html} download>
              HTML
            </a>
          </dd>
        </dl>
      </Card>
      {canChange && <DecisionPanel model={m} />}
      {m.status === "CHAMPION" && <RescoreProgress labelSet={m.labelSet} version={m.version} />}
      {m.test ? (
        <>
          <Card title={`Locked test split (v${m.version})`}>
            <div className="models-grid">
              <ConfusionMatrix test={m.test} modelVersionId={m.id} />
              <ClassTable test={m.test} />
            </div>
          </Card>
          <Card title={`Curves (v${m.version})`}>
            <div className="models-grid">
              <RocChart test={m.test} />
              <PrChart test={m.test} />
              <ReliabilityChart test={m.test} />
              <TrainingCurves history={m.history} />
            </div>
          </Card>
        </>
      ) : (
        <Alert>v{m.version} has no test figures in the current format.</Alert>
      )}
      <Card title="Promotion gate">
        <GateTable model={m} />
      </Card>
    </div>
  );
}
