// A campaign's agreement figures and their CSV, for administrators (the campaign page). Kept apart from the
// campaign management procedures so both can grow without touching each other; root.ts puts them under
// `campaigns`.
import { idSchema } from "@cxr/domain";
import { type Db } from "@cxr/db";
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

/** A campaign report and its CSV, ADMIN only: `report` computes it, `csv` downloads it as a file. */
function reportProcedures<R extends { campaignName: string }>(
  prefix: string,
  compute: (db: Db, campaignId: string) => Promise<R>,
  toCsv: (report: R) => string,
) {
  return {
    report: adminProcedure.input(campaignRef).query(({ ctx, input }) => compute(ctx.db, input.campaignId)),
    csv: adminProcedure.input(campaignRef).query(async ({ ctx, input }) => {
      const report = await compute(ctx.db, input.campaignId);
      return csvFile(prefix, report.campaignName, toCsv(report));
    }),
  };
}

const agreement = reportProcedures("agreement", campaignAgreement, agreementCsv);
// a reader study's results (per reader and pooled, unaided vs aided, and the MRMC comparison)
const readerStudy = reportProcedures("reader-study", readerStudyResults, readerStudyCsv);

export const campaignAgreementProcedures = {
  agreement: agreement.report,
  agreementCsv: agreement.csv,
  readerStudy: readerStudy.report,
  readerStudyCsv: readerStudy.csv,
};
