// The version's tables: confusion matrix, per-class figures with CIs, the gate's checks against the champion.
import Link from "next/link";
import { auditQueueHref } from "~/lib/audit/selection";
import type { ModelDetail } from "~/server/services/models/detail";
import { Figure, fmt } from "../format";

type Test = NonNullable<ModelDetail["test"]>;

/**
 * Counts, with the row-normalised share (of each true class) under each count; a cell with cases opens them as a
 * queue in the viewer (the audit's selection of this version's locked test split).
 */
export function ConfusionMatrix({ test, modelVersionId }: { test: Test; modelVersionId: string }) {
  return (
    <table className="models-matrix" data-testid="confusion-matrix">
      <caption>
        Confusion matrix (rows: true class, columns: predicted; count and share of the row; a count opens its
        cases)
      </caption>
      <thead>
        <tr>
          <th scope="col">true \ predicted</th>
          {test.classes.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {test.confusionMatrix.map((row, i) => {
          const total = row.reduce((a, b) => a + b, 0);
          return (
            <tr key={test.classes[i] ?? i}>
              <th scope="row">{test.classes[i]}</th>
              {row.map((n, j) => {
                const share = total > 0 ? n / total : 0;
                const truthKey = test.classes[i];
                const predictedKey = test.classes[j];
                const count =
                  n > 0 && truthKey && predictedKey ? (
                    <Link
                      href={auditQueueHref({
                        kind: "cell",
                        modelVersionId,
                        scope: "test",
                        truthKey,
                        predictedKey,
                      })}
                      title={`Open the ${n} test case(s) of ${truthKey} predicted as ${predictedKey}`}
                    >
                      {n}
                    </Link>
                  ) : (
                    n
                  );
                return (
                  <td
                    key={j}
                    className={i === j ? "models-matrix__hit" : undefined}
                    style={{ background: `rgba(37, 99, 235, ${(share * 0.6).toFixed(2)})` }}
                  >
                    <strong>{count}</strong>
                    <div>{(share * 100).toFixed(0)}%</div>
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const ci = (test: Test, key: string, value: number | null | undefined) => ({
  value: value ?? null,
  lower: test.ci95?.[key]?.lower ?? null,
  upper: test.ci95?.[key]?.upper ?? null,
});

/** CI key suffix and the per-class figure it belongs to (recall is reported as sensitivity). */
const columns = [
  ["precision", "precision"],
  ["sensitivity", "recall"],
  ["specificity", "specificity"],
  ["f1", "f1"],
  ["auc", "auc"],
] as const;

export function ClassTable({ test }: { test: Test }) {
  return (
    <table className="models-table" data-testid="class-table">
      <caption>Per class on the locked test split ({test.count} images), 95% bootstrap intervals</caption>
      <thead>
        <tr>
          {["class", "precision", "recall / sensitivity", "specificity", "F1", "AUC"].map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {test.classes.map((c) => {
          const m = test.perClass[c];
          return (
            <tr key={c}>
              <th scope="row">{c}</th>
              {columns.map(([key, value]) => (
                <td key={key}>
                  <Figure f={ci(test, `${c}.${key}`, m?.[value])} />
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function GateTable({ model }: { model: ModelDetail }) {
  if (!model.gate) return <p className="models-muted">The promotion gate was not applied to this version.</p>;
  const championName = model.comparedWith?.version
    ? `champion v${model.comparedWith.version}`
    : "no champion";
  return (
    <table className="models-table" data-testid="gate-table">
      <caption>
        Promotion gate: v{model.version} against {championName}, same test split
      </caption>
      <thead>
        <tr>
          <th scope="col">check</th>
          <th scope="col">v{model.version}</th>
          <th scope="col">{championName}</th>
          <th scope="col">verdict</th>
        </tr>
      </thead>
      <tbody>
        {model.gate.checks.map((c) => (
          <tr key={c.name}>
            <th scope="row">{c.name}</th>
            <td>{fmt(c.candidate)}</td>
            <td>{fmt(c.champion)}</td>
            <td>{c.passed ? "passed" : "failed"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
