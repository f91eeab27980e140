import { idSchema } from "@cxr/domain";
import { z } from "zod";
import { campaignActions, newCampaignSchema, selectionSchema } from "~/lib/campaigns";
import * as campaigns from "~/server/services/campaigns/admin";
import { countSelection } from "~/server/services/campaigns/selection";
import { roleProcedure, router } from "../trpc";
import { campaignAgreementProcedures } from "./campaign-agreement";

const adminProcedure = roleProcedure("ADMIN");
const campaignId = z.object({ id: idSchema });

/** ADMIN only, every procedure: campaign administration (readers work from their queues, not from here). */
export const campaignsRouter = router({
  ...campaignAgreementProcedures,
  list: adminProcedure.query(({ ctx }) => campaigns.listCampaigns(ctx.db)),
  get: adminProcedure.input(campaignId).query(({ ctx, input }) => campaigns.getCampaign(ctx.db, input.id)),
  /** what the form offers: readers, adjudicators, label sets, recent import jobs */
  options: adminProcedure.query(({ ctx }) => campaigns.campaignFormOptions(ctx.db)),
  /** the live count of a selection, before saving (with campaignId: only images not in that campaign yet) */
  count: adminProcedure
    .input(z.object({ labelSetId: idSchema, selection: selectionSchema, campaignId: idSchema.optional() }))
    .query(({ ctx, input }) => countSelection(ctx.db, input.labelSetId, input.selection, input.campaignId)),
  create: adminProcedure
    .input(newCampaignSchema)
    .mutation(({ ctx, input }) => campaigns.createCampaign(ctx.db, ctx.session.user, input)),
  setStatus: adminProcedure
    .input(campaignId.extend({ action: z.enum(campaignActions) }))
    .mutation(({ ctx, input }) =>
      campaigns.setCampaignStatus(ctx.db, ctx.session.user, input.id, input.action),
    ),
  addReaders: adminProcedure
    .input(campaignId.extend({ userIds: z.array(idSchema).min(1).max(200) }))
    .mutation(({ ctx, input }) => campaigns.addReaders(ctx.db, ctx.session.user, input.id, input.userIds)),
  addAdjudicators: adminProcedure
    .input(campaignId.extend({ userIds: z.array(idSchema).min(1).max(50) }))
    .mutation(({ ctx, input }) =>
      campaigns.addAdjudicators(ctx.db, ctx.session.user, input.id, input.userIds),
    ),
  addImages: adminProcedure
    .input(campaignId.extend({ selection: selectionSchema }))
    .mutation(({ ctx, input }) => campaigns.addImages(ctx.db, ctx.session.user, input.id, input.selection)),
});
