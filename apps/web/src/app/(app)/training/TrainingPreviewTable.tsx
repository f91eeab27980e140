// What a run would train on: per class and source, the patient split, where it starts, and why it cannot start.
import { Alert } from "@cxr/ui";
import type { TrainingPreview } from "@cxr/inference-api";
import { sourceLabel } from "../models/format";

const counts = (c: { images: number; patients: number }) => `${c.images} img / ${c.patients} pt`;

export function TrainingPreviewTable({ preview }: { preview: TrainingPreview }) {
  return (
    <section className="stack" aria-label="Preview" data-testid="training-preview">
      <table className="models-table">
        <caption>
          What the run would train on ({counts(preview.total)} outside the locked test split,{" "}
          {preview.newSinceChampion} new since the champion)
        </caption>
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col">Images / patients</th>
            <th scope="col">By source</th>
            <th scope="col">New since the champion</th>
          </tr>
        </thead>
        <tbody>
          {preview.classes.map((c) => (
            <tr key={c.key}>
              <th scope="row">
                {c.name}
                {c.retired ? " (retired)" : ""}
              </th>
              <td>{counts(c)}</td>
              <td>
                {Object.entries(c.bySource)
                  .map(([source, n]) => `${sourceLabel[source] ?? source}: ${counts(n)}`)
                  .join(", ") || "—"}
              </td>
              <td>{c.newSinceChampion}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="preview-split">
        Split by patient: train {counts(preview.split.train)}, validation {counts(preview.split.validation)},
        locked test {counts(preview.split.test)}
        {preview.split.unassigned.images > 0 && `, not yet split ${counts(preview.split.unassigned)}`}.
      </p>
      <p data-testid="preview-start">
        {preview.startsFrom
          ? `Starts from the champion v${preview.startsFrom.version}.`
          : preview.mode === "FROM_SCRATCH"
            ? "Starts from scratch."
            : "No champion of this architecture to start from."}
      </p>
      {preview.skipped && preview.skipped.labels > 0 && (
        <p data-testid="preview-skipped">
          {preview.skipped.labels} label{preview.skipped.labels === 1 ? "" : "s"} of classes the champion does
          not predict will be skipped ({preview.skipped.classes.join(", ")}).
        </p>
      )}
      {preview.refusals.length > 0 && (
        <Alert tone="error">
          <strong>This run cannot start:</strong>
          <ul>
            {preview.refusals.map((r) => (
              <li key={r.code}>{r.message}</li>
            ))}
          </ul>
        </Alert>
      )}
    </section>
  );
}
