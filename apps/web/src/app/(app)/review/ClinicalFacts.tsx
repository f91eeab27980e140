"use client";
// The clinical columns the data set brought (RT-PCR, outcome, vitals, laboratory, the rest), grouped, with units.
import { type CaseData } from "~/lib/review/api-types";

export function ClinicalFacts({ groups }: { groups: CaseData["clinical"]["groups"] }) {
  if (groups.length === 0) return null;
  return (
    <section aria-label="Clinical data" data-testid="clinical">
      {groups.map((g) => (
        <div key={g.key} data-testid={`clinical-${g.key}`}>
          <h3 className="review-panel__subtitle">{g.title}</h3>
          <dl className="review-facts review-facts--clinical">
            {g.items.map((item) => (
              <div key={item.label} className="review-facts__row">
                <dt>{item.label}</dt>
                <dd>{item.value}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </section>
  );
}
