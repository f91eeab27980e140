import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { archiveSummary, importJobProblems, listImportJobs } from "~/server/services/imports";
import { roleProcedure, router } from "../trpc";

const importsProcedure = roleProcedure("ADMIN", "RADIOLOGIST");

export const importsRouter = router({
  list: importsProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => listImportJobs(ctx.db, { limit: input.limit })),

  report: importsProcedure
    .input(z.object({ jobId: z.string().min(1).max(64) }))
    .query(async ({ ctx, input }) => {
      const problems = await importJobProblems(ctx.db, input.jobId);
      if (!problems) throw new TRPCError({ code: "NOT_FOUND", message: "This import job does not exist." });
      return problems;
    }),

  summary: importsProcedure.query(({ ctx }) => archiveSummary(ctx.db)),
});
