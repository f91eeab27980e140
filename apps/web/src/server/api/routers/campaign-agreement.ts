// A campaign's agreement figures and their CSV, for administrators (the campaign page). Kept apart from the
// campaign management procedures so both can grow without touching each other; root.ts puts them under
// `campaigns`.
import { idSchema } from "@cxr/domain";
import { z } from "zod";
import { campaignAgreement } from "~/server/services/agreement/campaign";
import { agreementCsv } from "~/server/services/agreement/csv";
import { roleProcedure } from "../trpc";

const adminProcedure = roleProcedure("ADMIN");
const campaignRef = z.object({ campaignId: idSchema });

export const campaignAgreementProcedures = {
  agreement: adminProcedure
    .input(campaignRef)
    .query(({ ctx, input }) => campaignAgreement(ctx.db, input.campaignId)),

  agreementCsv: adminProcedure.input(campaignRef).query(async ({ ctx, input }) => {
    const report = await campaignAgreement(ctx.db, input.campaignId);
    return {
      filename: `agreement-${report.campaignName.replace(/[^\w-]+/g, "_")}.csv`,
      csv: agreementCsv(report),
    };
  }),
};
