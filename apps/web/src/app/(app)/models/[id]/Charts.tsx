"use client";
// The version's plots, drawn by recharts: per-class ROC and PR curves, the reliability diagram, training curves.
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { EpochFigures } from "@cxr/inference-api";
import type { ModelDetail } from "~/server/services/models/detail";

const palette = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2"];
const size = { width: 380, height: 280 };
const unit = [0, 1] as const;

type Test = NonNullable<ModelDetail["test"]>;

function Frame({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) {
  return (
    <figure className="models-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      {children}
    </figure>
  );
}

/** One line per class; x and y name the point fields. */
function PerClassCurves(props: {
  curves: Record<string, object[]>;
  x: string;
  y: string;
  xLabel: string;
  yLabel: string;
  diagonal?: boolean;
}) {
  return (
    <LineChart {...size} margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis
        type="number"
        dataKey={props.x}
        domain={unit}
        label={{ value: props.xLabel, position: "bottom" }}
      />
      <YAxis
        type="number"
        domain={unit}
        label={{ value: props.yLabel, angle: -90, position: "insideLeft" }}
      />
      <Tooltip />
      <Legend verticalAlign="top" />
      {props.diagonal && (
        <ReferenceLine
          segment={[
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ]}
          strokeDasharray="4 4"
        />
      )}
      {Object.entries(props.curves).map(([cls, points], i) => (
        <Line
          key={cls}
          name={cls}
          data={points}
          dataKey={props.y}
          stroke={palette[i % palette.length]}
          dot={false}
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
}

export function RocChart({ test }: { test: Test }) {
  if (!test.roc) return <p className="models-muted">ROC points were not recorded for this version.</p>;
  return (
    <Frame title="ROC, one class against the rest" testId="roc-chart">
      <PerClassCurves
        curves={test.roc}
        x="fpr"
        y="tpr"
        xLabel="false positive rate"
        yLabel="sensitivity"
        diagonal
      />
    </Frame>
  );
}

export function PrChart({ test }: { test: Test }) {
  if (!test.pr)
    return <p className="models-muted">Precision-recall points were not recorded for this version.</p>;
  return (
    <Frame title="Precision-recall, one class against the rest" testId="pr-chart">
      <PerClassCurves curves={test.pr} x="recall" y="precision" xLabel="recall" yLabel="precision" />
    </Frame>
  );
}

export function ReliabilityChart({ test }: { test: Test }) {
  if (!test.reliability)
    return <p className="models-muted">Reliability bins were not recorded for this version.</p>;
  const points = test.reliability.filter((b) => b.count > 0);
  return (
    <Frame title={`Reliability (ECE ${test.ece.toFixed(3)})`} testId="reliability-chart">
      <PerClassCurves
        curves={{ "accuracy per confidence bin": points }}
        x="confidence"
        y="accuracy"
        xLabel="mean confidence"
        yLabel="accuracy"
        diagonal
      />
    </Frame>
  );
}

/** One epoch's figures, as a version's history and a live run's progress both hold them (the contract's). */
export type EpochPoint = Pick<
  EpochFigures,
  "epoch" | "loss" | "accuracy" | "valLoss" | "valAccuracy" | "learningRate"
>;

export function TrainingCurves({
  history,
  title = "Training, per epoch",
}: {
  history: readonly EpochPoint[];
  title?: string;
}) {
  if (history.length === 0) return <p className="models-muted">No per-epoch history was recorded.</p>;
  const series = [
    ["loss", "training loss"],
    ["valLoss", "validation loss"],
    ["accuracy", "training accuracy"],
    ["valAccuracy", "validation accuracy"],
    ["learningRate", "learning rate"],
  ] as const;
  const shown = series.filter(([key]) => history.some((h) => typeof h[key] === "number"));
  return (
    <Frame title={title} testId="training-chart">
      <LineChart {...size} data={[...history]} margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="epoch" label={{ value: "epoch", position: "bottom" }} />
        <YAxis />
        <Tooltip />
        <Legend verticalAlign="top" />
        {shown.map(([key, name], i) => (
          <Line key={key} name={name} dataKey={key} stroke={palette[i]} isAnimationActive={false} />
        ))}
      </LineChart>
    </Frame>
  );
}
