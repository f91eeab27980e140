"use client";
// One run, live: the web app's own subscription (server-sent events) relays the service's progress stream, so
// epochs appear as they finish; a cancel for administrators while it is going.
import { Alert, Button, Card, PageHeader, ProgressBar } from "@cxr/ui";
import type { RunView } from "@cxr/inference-api";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formatDateTime, formatDuration } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { TrainingCurves, type EpochPoint } from "../../models/[id]/Charts";
import { sourceLabel } from "../../models/format";
import { isActive, modeLabel, runDuration, RunStatus } from "../format";

export function RunPage({ id, canChange }: { id: string; canChange: boolean }) {
  const trpc = useTRPC();
  const [run, setRun] = useState<RunView | null>(null);
  // each epoch's figures as they arrived, for a service that sends the last epoch's figures without the history
  const [arrived, setArrived] = useState<EpochPoint[]>([]);
  const sub = useSubscription(
    trpc.training.progress.subscriptionOptions(
      { id },
      {
        onData: (view) => {
          setRun(view);
          const point = epochPoint(view);
          if (point) setArrived((seen) => [...seen.filter((e) => e.epoch !== point.epoch), point]);
        },
      },
    ),
  );
  if (!run && sub.error) return <Alert tone="error">This run could not be loaded: {sub.error.message}</Alert>;
  if (!run) return <p role="status">Loading the run…</p>;
  const p = run.progress;
  const history = p?.history?.length ? p.history : arrived;
  const killed = run.status === "FAILED" || run.status === "INTERRUPTED";
  return (
    <div className="stack">
      <PageHeader
        title={`Training run: ${run.labelSet}, ${run.architecture.toLowerCase()}`}
        description={`${modeLabel[run.mode] ?? run.mode} · queued ${formatDateTime(run.queuedAt)} by ${run.startedBy?.name ?? "the service"}`}
      />
      {killed && (
        <Alert tone="error">
          <strong>
            {run.status === "INTERRUPTED" ? "Interrupted: the worker stopped mid-run." : "Failed."}
          </strong>{" "}
          <span data-testid="run-error">{run.error ?? "No error was recorded."}</span> Nothing was registered;
          start a new run to try again.
        </Alert>
      )}
      {sub.error && <Alert tone="error">Live updates stopped: {sub.error.message}. Reload to resume.</Alert>}
      <Card title="Progress">
        <dl className="models-facts">
          <dt>Status</dt>
          <dd data-testid="run-status">
            <RunStatus status={run.status} /> {p && isActive(run.status) && <span>{p.phase}</span>}
          </dd>
          <dt>Epoch</dt>
          <dd data-testid="run-epoch">
            {run.currentEpoch} / {run.epochs}
          </dd>
          {p?.batch && p.phase === "training" && isActive(run.status) ? (
            <>
              <dt>Under way</dt>
              <dd>
                <span data-testid="run-batch">
                  epoch {p.batch.epoch} of {run.epochs} · step {p.batch.step} of {p.batch.stepsPerEpoch}
                </span>{" "}
                <ProgressBar
                  label="steps of this epoch"
                  value={p.batch.step}
                  max={p.batch.stepsPerEpoch}
                  valueText={`step ${p.batch.step} of ${p.batch.stepsPerEpoch}`}
                />
              </dd>
            </>
          ) : (
            p?.step &&
            isActive(run.status) && (
              <>
                <dt>Step</dt>
                <dd>
                  <ProgressBar
                    label={`${p.phase} step`}
                    value={p.step.done}
                    max={p.step.total}
                    valueText={`${p.step.done} of ${p.step.total}`}
                  />{" "}
                  {p.step.done} / {p.step.total}
                </dd>
              </>
            )
          )}
          {isActive(run.status) && (
            <>
              <dt>Time left</dt>
              <dd data-testid="run-eta">{formatDuration(p?.etaSeconds ?? null)}</dd>
            </>
          )}
          <dt>Duration</dt>
          <dd>{runDuration(run)}</dd>
          <dt>Data</dt>
          <dd>
            {run.labelSources.map((s) => sourceLabel[s] ?? s).join(", ")}
            {run.batchSize !== null && ` · batch size ${run.batchSize}`}
            {run.roiWeight !== null && ` · ROI weight ${run.roiWeight}`}
            {p?.roiGuidedImages !== undefined && ` · ${p.roiGuidedImages} images guided by ROIs`}
            {p?.skippedLabels
              ? ` · ${p.skippedLabels} labels of classes the champion does not predict skipped`
              : ""}
          </dd>
          {p?.embeddingCache && (
            <>
              <dt>Embedding cache</dt>
              <dd>
                {p.embeddingCache.hits} hits, {p.embeddingCache.misses} computed
              </dd>
            </>
          )}
          {p?.parentModelVersionId && (
            <>
              <dt>Started from</dt>
              <dd>
                <Link href={`/models/${p.parentModelVersionId}`}>the champion it was given</Link>
              </dd>
            </>
          )}
          {p?.modelVersionId && (
            <>
              <dt>Produced</dt>
              <dd>
                <Link href={`/models/${p.modelVersionId}`} data-testid="run-version">
                  the candidate version
                </Link>
                {p.gatePassed !== undefined && (p.gatePassed ? " (gate passed)" : " (gate failed)")}
              </dd>
            </>
          )}
        </dl>
        {canChange && isActive(run.status) && <CancelRun id={run.id} />}
      </Card>
      <Card title="Curves">
        <TrainingCurves history={history} title="Loss, accuracy and learning rate per epoch (live)" />
        {history.length > 0 && (
          <p className="models-muted" data-testid="run-epochs-seen">
            {history.length} epoch{history.length === 1 ? "" : "s"} recorded
          </p>
        )}
      </Card>
    </div>
  );
}

/** The figures of the epoch a progress value reports, when it reports one. */
function epochPoint(view: RunView): EpochPoint | null {
  const p = view.progress;
  if (!p || p.epoch < 1 || p.loss === undefined || p.accuracy === undefined) return null;
  return {
    epoch: p.epoch,
    loss: p.loss,
    accuracy: p.accuracy,
    valLoss: p.valLoss ?? null,
    valAccuracy: p.valAccuracy ?? null,
    learningRate: p.learningRate ?? null,
  };
}

function CancelRun({ id }: { id: string }) {
  const trpc = useTRPC();
  const cancel = useMutation(trpc.training.cancel.mutationOptions());
  return (
    <div className="models-actions">
      <Button
        variant="danger"
        disabled={cancel.isPending || cancel.isSuccess}
        onClick={() => cancel.mutate({ id, reason: "cancelled from the run's page" })}
      >
        Cancel run
      </Button>
      {cancel.error && <Alert tone="error">{cancel.error.message}</Alert>}
    </div>
  );
}
