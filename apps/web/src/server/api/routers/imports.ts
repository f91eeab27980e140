import { idSchema } from "@cxr/domain";
import { z } from "zod";
import { archiveSummary, importJobProblems, listImportJobs } from "~/server/services/imports";
import { roleProcedure, router } from "../trpc";

const importsProcedure = roleProcedure("ADMIN", "RADIOLOGIST");

export const importsRouter = router({
  list: importsProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => listImportJobs(ctx.db, { limit: input.limit })),

  report: importsProcedure
    .input(z.object({ jobId: idSchema }))
    .query(({ ctx, input }) => importJobProblems(ctx.db, input.jobId)),

  summary: importsProcedure.query(({ ctx }) => archiveSummary(ctx.db)),
});
