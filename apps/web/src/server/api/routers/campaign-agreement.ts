// A campaign's agreement figures and their CSV, for administrators (the campaign page). Kept apart from the
// campaign management procedures so both can grow without touching each other; root.ts puts them under
// `campaigns`.
import { idSchema } from "@cxr/domain";
import { z } from "zod";
import { campaignAgreement } from "~/server/services/agreement/campaign";
import { agreementCsv } from "~/server/services/agreement/csv";
import { readerStudyCsv, readerStudyResults } from "~/server/services/campaigns/reader-study";
import { roleProcedure } from "../trpc";

const adminProcedure = roleProcedure("ADMIN");
const campaignRef = z.object({ campaignId: idSchema });

/** A CSV download named after its campaign. */
const csvFile = (prefix: string, campaignName: string, csv: string) => ({
  filename: `${prefix}-${campaignName.replace(/[^\w-]+/g, "_")}.csv`,
  csv,
});

export const campaignAgreementProcedures = {
  agreement: adminProcedure
    .input(campaignRef)
    .query(({ ctx, input }) => campaignAgreement(ctx.db, input.campaignId)),

  agreementCsv: adminProcedure.input(campaignRef).query(async ({ ctx, input }) => {
    const report = await campaignAgreement(ctx.db, input.campaignId);
    return csvFile("agreement", report.campaignName, agreementCsv(report));
  }),

  /** ADMIN: a reader study's results (per reader and pooled, unaided vs aided, and the MRMC comparison) */
  readerStudy: adminProcedure
    .input(campaignRef)
    .query(({ ctx, input }) => readerStudyResults(ctx.db, input.campaignId)),

  /** ADMIN: the reader study's per-reader table as CSV */
  readerStudyCsv: adminProcedure.input(campaignRef).query(async ({ ctx, input }) => {
    const results = await readerStudyResults(ctx.db, input.campaignId);
    return csvFile("reader-study", results.campaignName, readerStudyCsv(results));
  }),
};
