// The case panel's clinical columns: grouped, with units, only those present, and shown to a blinded reader too
// (they are what was known about the patient, not model output), while the data set's finding (its label) is not.
import { beforeAll, describe, expect, it } from "vitest";
import { clinicalGroups } from "~/server/services/review/clinical";
import { activeCampaign } from "./campaign-assign";
import { callerAs, sessionFor, useReviewFixture, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();
const fx = useReviewFixture(t, { count: 2, size: 64, tag: "clinical" });

const none = {
  rtPcrPositive: null,
  survival: null,
  intubated: null,
  intubationPresent: null,
  extubated: null,
  wentIcu: null,
  inIcu: null,
  neededSupplementalO2: null,
  temperatureC: null,
  po2Saturation: null,
  leukocyteCount: null,
  neutrophilCount: null,
  lymphocyteCount: null,
  offsetDays: null,
  location: null,
  clinicalExtra: null,
};

beforeAll(async () => {
  await t.db.image.update({
    where: { id: fx.imageIds[0]! },
    data: {
      finding: "Pneumonia/Viral/COVID-19",
      rtPcrPositive: true,
      survival: false,
      wentIcu: true,
      neededSupplementalO2: true,
      temperatureC: 38.6,
      po2Saturation: 91,
      lymphocyteCount: 0.72,
      offsetDays: 4,
      clinicalExtra: { ferritin: "1250 ng/mL", RT_PCR_positive: "Unclear" },
    },
  });
});

describe("clinical columns in the case panel", () => {
  it("groups what is present, with units, and leaves out what is not", () => {
    expect(clinicalGroups(none)).toEqual([]);
    const groups = clinicalGroups({
      ...none,
      inIcu: false,
      leukocyteCount: 5.5,
      clinicalExtra: ["not", "a map"],
    });
    expect(groups).toEqual([
      { key: "outcome", title: "Outcome", items: [{ label: "In ICU at this image", value: "no" }] },
      { key: "laboratory", title: "Laboratory", items: [{ label: "Leukocytes", value: "5.5 ×10⁹/L" }] },
    ]);
  });

  it("comes with the case, to a blinded reader too, without the data set's finding", async () => {
    const radiologist = callerAs(t.db, sessionFor(t.users.radiologist));
    const open = await radiologist.review.case({ imageId: fx.imageIds[0]! });
    expect(open.clinical.finding).toBe("Pneumonia/Viral/COVID-19");
    const byKey = Object.fromEntries(open.clinical.groups.map((g) => [g.key, g.items]));
    expect(byKey).toEqual({
      "rt-pcr": [{ label: "Result", value: "positive" }],
      outcome: [
        { label: "Survived", value: "no" },
        { label: "ICU (ever)", value: "yes" },
        { label: "Supplemental O₂", value: "yes" },
      ],
      vitals: [
        { label: "Temperature", value: "38.6 °C" },
        { label: "pO₂ saturation", value: "91 %" },
      ],
      laboratory: [{ label: "Lymphocytes", value: "0.72 ×10⁹/L" }],
      other: [
        { label: "Days since onset or admission", value: "4" },
        { label: "ferritin", value: "1250 ng/mL" },
        { label: "RT_PCR_positive", value: "Unclear" },
      ],
    });
    // the other image has none of them
    expect((await radiologist.review.case({ imageId: fx.imageIds[1]! })).clinical.groups).toEqual([]);

    await activeCampaign(
      t,
      fx,
      { name: "Blinded clinical", strategy: "FIFO", blinded: true },
      [fx.imageIds[0]!],
      [t.users.radiologist.id],
    );
    const blind = await radiologist.review.case({ imageId: fx.imageIds[0]! });
    expect(blind.blinded).toBe(true);
    expect(blind.prediction).toBeNull();
    expect(blind.clinical.finding).toBeNull();
    expect(blind.clinical.groups).toEqual(open.clinical.groups);
  });
});
