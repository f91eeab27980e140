// An active campaign over the review fixture's label set and model, with its images assigned to readers: the
// campaign tests' and the blinding tests' setup.
import { createAssignments } from "@cxr/db/assignments";
import { type ReviewFixture } from "./review-fixtures";
import { type SeededDatabase } from "./helpers";

export async function activeCampaign(
  t: SeededDatabase,
  fx: Pick<ReviewFixture, "labelSetId" | "modelVersionId">,
  c: { name: string; strategy: "FIFO" | "ENTROPY"; blinded: boolean },
  imageIds: string[],
  userIds: string[],
) {
  const campaign = await t.db.campaign.create({
    data: {
      ...c,
      labelSetId: fx.labelSetId,
      status: "ACTIVE",
      modelVersionId: fx.modelVersionId,
      createdById: t.users.admin.id,
    },
  });
  await createAssignments(t.db, { campaignId: campaign.id, imageIds, userIds });
  return campaign;
}
