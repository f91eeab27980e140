"use client";
// The critical class's operating point: a slider over its probability threshold with sensitivity, specificity,
// PPV and NPV at the scope's prevalence, and the ROC curve with the chosen point marked.
import { Card } from "@cxr/ui";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { CartesianGrid, Line, LineChart, ReferenceDot, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { type AuditScope } from "~/lib/audit/selection";
import { useTRPC } from "~/trpc/react";

const fmt = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)}%`);

export function ThresholdCard({ filter }: { filter: { modelVersionId: string; scope: AuditScope } }) {
  const trpc = useTRPC();
  const [step, setStep] = useState(50);
  const sweep = useQuery(trpc.audit.thresholds.queryOptions({ ...filter, classKey: "covid-19" }));
  if (sweep.isError) return <Card title="COVID-19 threshold">Not available: {sweep.error.message}</Card>;
  if (!sweep.data) return <Card title="COVID-19 threshold">Loading…</Card>;
  const { points, positives, negatives, prevalence, className } = sweep.data;
  const point = points[step]!;
  // ROC: (1 - specificity, sensitivity), from the highest threshold down
  const roc = points
    .filter((p) => p.sensitivity !== null && p.specificity !== null)
    .map((p) => ({ fpr: 1 - p.specificity!, tpr: p.sensitivity! }))
    .reverse();
  return (
    <Card title={`${className} operating point`}>
      <label htmlFor="audit-threshold">
        Threshold on P({className}):{" "}
        <strong data-testid="threshold-value">{point.threshold.toFixed(2)}</strong>
      </label>
      <input
        id="audit-threshold"
        className="audit-slider"
        type="range"
        min={0}
        max={100}
        value={step}
        onChange={(e) => setStep(Number(e.target.value))}
        data-testid="threshold-slider"
      />
      <dl className="audit-figures" data-testid="threshold-figures">
        <div>
          <dt>Sensitivity</dt>
          <dd data-testid="sensitivity">{fmt(point.sensitivity)}</dd>
        </div>
        <div>
          <dt>Specificity</dt>
          <dd>{fmt(point.specificity)}</dd>
        </div>
        <div>
          <dt>PPV</dt>
          <dd>{fmt(point.ppv)}</dd>
        </div>
        <div>
          <dt>NPV</dt>
          <dd>{fmt(point.npv)}</dd>
        </div>
      </dl>
      <p className="audit-muted">
        At this scope&apos;s prevalence {fmt(prevalence)} ({positives} {className} of {positives + negatives}
        ): TP {point.tp}, FP {point.fp}, TN {point.tn}, FN {point.fn}.
      </p>
      {positives > 0 && negatives > 0 ? (
        <figure data-testid="threshold-roc">
          <LineChart width={380} height={260} data={roc} margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              type="number"
              dataKey="fpr"
              domain={[0, 1]}
              label={{ value: "1 - specificity", position: "bottom" }}
            />
            <YAxis
              type="number"
              domain={[0, 1]}
              label={{ value: "sensitivity", angle: -90, position: "insideLeft" }}
            />
            <Tooltip />
            <ReferenceLine
              segment={[
                { x: 0, y: 0 },
                { x: 1, y: 1 },
              ]}
              strokeDasharray="4 4"
            />
            <Line dataKey="tpr" stroke="#dc2626" dot={false} isAnimationActive={false} />
            {point.sensitivity !== null && point.specificity !== null ? (
              <ReferenceDot
                x={1 - point.specificity}
                y={point.sensitivity}
                r={6}
                fill="#2563eb"
                stroke="#fff"
              />
            ) : null}
          </LineChart>
        </figure>
      ) : (
        <p className="audit-muted">The ROC needs cases of both sides.</p>
      )}
    </Card>
  );
}
