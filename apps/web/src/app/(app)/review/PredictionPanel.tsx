"use client";
// What the model thinks, always with its model version and date, next to the patient's clinical data.
import { ProbabilityBars } from "@cxr/ui";
import { type CaseData } from "~/lib/review/api-types";
import { ClinicalFacts } from "./ClinicalFacts";

const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const dateTime = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

export function PredictionPanel({
  data,
  onOpenImage,
}: {
  data: CaseData;
  onOpenImage: (imageId: string) => void;
}) {
  const { prediction, classes, clinical, image } = data;
  return (
    <section className="review-panel" aria-labelledby="prediction-title">
      <h2 id="prediction-title" className="review-panel__title">
        Prediction
      </h2>
      {data.assignment ? (
        <p className="review-campaign" data-testid="campaign">
          Campaign <strong>{data.assignment.campaignName}</strong>
          {data.blinded ? " · blinded" : ""}
        </p>
      ) : null}
      {data.lease && !data.lease.mine ? (
        // opened by a direct link while the queue has served it to someone else: readable, and said so
        <p className="review-campaign" data-testid="lease-holder">
          {data.lease.holderName ?? "Another reader"} is reading this case (served to them until{" "}
          {dateTime.format(new Date(data.lease.expiresAt))} UTC); a decision of yours may conflict with
          theirs.
        </p>
      ) : null}
      {data.blinded ? (
        <p className="review-muted" data-testid="blinded">
          This campaign is blinded: the model&apos;s prediction, probabilities and heat maps are hidden, so
          your read is independent of them.
        </p>
      ) : prediction ? (
        <>
          <p className="review-model" data-testid="model-version">
            Model <strong>{prediction.model.label}</strong> ·{" "}
            {prediction.model.architecture.replace("_", " ")}
            <br />
            <span className="review-muted">made {dateTime.format(new Date(prediction.createdAt))} UTC</span>
          </p>
          <ProbabilityBars
            label={`Class probabilities from ${prediction.model.label}`}
            items={classes.map((c, i) => ({
              key: c.id,
              label: `${i + 1} ${c.name}`,
              value: prediction.probabilities.find((p) => p.classId === c.id)?.p ?? null,
              color: c.color,
              highlight: c.id === prediction.predictedClassId,
            }))}
          />
        </>
      ) : (
        <p className="review-muted">No prediction for this image from the selected model yet.</p>
      )}
      <h3 className="review-panel__subtitle">Patient and image</h3>
      <dl className="review-facts">
        <dt>Age</dt>
        <dd>{clinical.ageYears ?? "unknown"}</dd>
        <dt>Sex</dt>
        <dd>{clinical.sex ? clinical.sex.toLowerCase() : "unknown"}</dd>
        <dt>View</dt>
        <dd>{image.viewPosition ?? "unknown"}</dd>
        <dt>Modality</dt>
        <dd>{image.modality}</dd>
        <dt>Study date</dt>
        <dd>
          {clinical.acquiredAt
            ? day.format(new Date(clinical.acquiredAt))
            : clinical.studyDate
              ? day.format(new Date(clinical.studyDate))
              : "unknown"}
        </dd>
        <dt>Finding (import)</dt>
        <dd>{clinical.finding ?? "none"}</dd>
        {clinical.notes ? (
          <>
            <dt>Notes</dt>
            <dd>{clinical.notes}</dd>
          </>
        ) : null}
      </dl>
      <ClinicalFacts groups={clinical.groups} />
      {data.studyImages.length > 0 ? (
        <>
          <h3 className="review-panel__subtitle">Other images of the study</h3>
          <ul className="review-study">
            {data.studyImages.slice(0, 12).map((i) => (
              <li key={i.id}>
                <button type="button" className="review-link" onClick={() => onOpenImage(i.id)}>
                  {i.modality} {i.viewPosition ?? ""} · {i.id.slice(-6)}
                </button>
              </li>
            ))}
          </ul>
          {data.studyImages.length > 12 ? (
            <p className="review-muted">and {data.studyImages.length - 12} more</p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
