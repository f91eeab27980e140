// npm run ingest -- import --format cohen|kermany|radiography-db|folder PATH [--label-set NAME] [--view PA] [--modality X-ray]
//                  [--masks DIR] (folder: lesion masks at the images' relative paths)
// npm run ingest -- dicom FILE_OR_DIR... [--frame N]
// npm run ingest -- dicomweb --url URL [--since DATE] [--until DATE] [--modality DX] [--description TEXT]
// npm run ingest -- render IN.dcm OUT.png [--window CENTER,WIDTH] [--frame N]
// npm run ingest -- report JOB_ID
// Common: --deidentify (needs DEID_SALT). Needs DATABASE_URL or a running `npm start` (found through
// DATA_DIR/runtime.json); STORAGE_URL as in .env. `render` is cli.ts's own: it needs no database.
import path from "node:path";
import { parseArgs } from "node:util";
import { createDb, type Db, type ImportJob } from "@cxr/db";
import { readLocalRuntime } from "@cxr/db/local-runtime";
import { describeError, parseLooseDate } from "@cxr/imaging";
import { createStorage } from "@cxr/storage";
import { z } from "zod";
import type { IngestContext } from "./context";
import { pullFromDicomweb } from "./dicomweb/pull";
import { loadIngestEnv, type IngestEnv } from "./env";
import { importDataset } from "./import-dataset";
import { datasetFormats } from "./dataset-formats";
import { planDicomPaths } from "./importers/folder";
import { jobReport, type JobProgress } from "./jobs";
import { runJob, type RunResult } from "./runner";
import { positiveFrame, reportCliError, UsageError, USAGE } from "./cli-args";

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        format: { type: "string" },
        "label-set": { type: "string" },
        view: { type: "string", multiple: true },
        modality: { type: "string", multiple: true },
        masks: { type: "string" },
        deidentify: { type: "boolean" },
        frame: { type: "string" },
        url: { type: "string" },
        since: { type: "string" },
        until: { type: "string" },
        description: { type: "string" },
        window: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    console.error(`${describeError(error)}\n${USAGE}`);
    process.exit(2);
  }
})();

function userPath(env: IngestEnv, p: string): string {
  return path.resolve(env.INIT_CWD ?? process.cwd(), p);
}

function date(text: string | undefined, flag: string): Date | undefined {
  if (!text) return undefined;
  const parsed = parseLooseDate(text);
  if (!parsed) throw new UsageError(`${flag} ${text}: not a date (use YYYY-MM-DD)`);
  return parsed.date;
}

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)}s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)}min`;
  return `${(seconds / 3600).toFixed(1)}h`;
}

/** One line per update on a terminal (overwritten), one every few seconds in logs. */
function progressPrinter(): (progress: JobProgress, job: ImportJob) => void {
  let last = 0;
  return (p, job) => {
    const tty = process.stderr.isTTY;
    if (!tty && Date.now() - last < 3000 && p.processed !== p.total) return;
    last = Date.now();
    const pct = p.total ? ` (${((100 * p.processed) / p.total).toFixed(1)}%)` : "";
    const eta = p.etaSeconds === null ? "" : `, ETA ${formatDuration(p.etaSeconds)}`;
    const line = `${p.processed}/${p.total ?? "?"}${pct}, ${p.rate.toFixed(1)}/s${eta}; imported ${job.imported}, duplicates ${job.duplicates}, skipped ${job.skipped}, failed ${job.failed}`;
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  };
}

async function printReport(db: Db, jobId: string): Promise<void> {
  const { job, problems } = await jobReport(db, jobId);
  if (process.stderr.isTTY) process.stderr.write("\n");
  console.log(`job ${job.id} (${job.format} ${job.sourceRef}): ${job.status}`);
  console.log(
    `  ${job.processed} processed: ${job.imported} imported, ${job.duplicates} already stored, ${job.skipped} skipped, ${job.failed} failed`,
  );
  for (const problem of problems) {
    console.log(`  ${problem.status.toLowerCase()} ${problem.count} x ${problem.reason ?? "?"}`);
    for (const example of problem.examples) console.log(`    ${example.key}: ${example.message ?? ""}`);
  }
  if (job.error) console.log(`  error: ${job.error}`);
}

async function withContext<T>(given: IngestEnv, fn: (ctx: IngestContext) => Promise<T>): Promise<T> {
  // beside a running `npm start`, its database and storage are used unless the environment names others
  const local = given.DATABASE_URL
    ? null
    : await readLocalRuntime(
        given.DATA_DIR ? path.resolve(given.INIT_CWD ?? process.cwd(), given.DATA_DIR) : undefined,
      );
  const env = local ? { ...given, DATABASE_URL: local.databaseUrl, STORAGE_URL: local.storageUrl } : given;
  if (!env.DATABASE_URL) {
    throw new UsageError(
      "DATABASE_URL is not set and no local platform is running (start it with `npm start`)",
    );
  }
  if (values.deidentify && !env.DEID_SALT)
    throw new UsageError("--deidentify needs DEID_SALT, a secret of at least 16 characters");
  const db = createDb(env.DATABASE_URL);
  const frame = values.frame ? positiveFrame.parse(values.frame) - 1 : undefined;
  const ctx: IngestContext = {
    db,
    storage: createStorage(env),
    deidentify: values.deidentify && env.DEID_SALT ? { salt: env.DEID_SALT } : undefined,
    frame,
  };
  try {
    return await fn(ctx);
  } finally {
    await db.$disconnect();
  }
}

async function finish(ctx: IngestContext, result: RunResult): Promise<void> {
  if (result.resumed) console.log(`resumed job ${result.job.id}`);
  await printReport(ctx.db, result.job.id);
}

async function main(): Promise<number> {
  const [command, ...args] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const env = loadIngestEnv();
  switch (command) {
    case "import": {
      const format = z
        .enum(datasetFormats, { error: `--format must be one of ${datasetFormats.join(", ")}` })
        .parse(values.format);
      if (args.length !== 1 || !args[0]) throw new UsageError("import wants exactly one PATH");
      const target = userPath(env, args[0]);
      return withContext(env, async (ctx) => {
        console.log(`importing ${format} from ${target} into ${ctx.storage.description}`);
        const result = await importDataset(
          ctx,
          {
            format,
            path: target,
            labelSet: values["label-set"],
            views: values.view ?? [],
            modalities: values.modality ?? [],
            ...(values.masks ? { masks: userPath(env, values.masks) } : {}),
          },
          { onProgress: progressPrinter() },
        );
        await finish(ctx, result);
        return 0;
      });
    }
    case "dicom": {
      if (args.length === 0) throw new UsageError("dicom wants at least one FILE_OR_DIR");
      const inputs = args.map((a) => userPath(env, a));
      return withContext(env, async (ctx) => {
        const items = await planDicomPaths(ctx, inputs);
        const result = await runJob(
          ctx,
          {
            format: "dicom",
            sourceRef: inputs.join(" "),
            options: { frame: values.frame, deidentified: ctx.deidentify ? true : undefined },
          },
          items,
          {
            onProgress: progressPrinter(),
          },
        );
        await finish(ctx, result);
        return 0;
      });
    }
    case "dicomweb": {
      if (!values.url) throw new UsageError("dicomweb wants --url");
      const url = values.url;
      return withContext(env, async (ctx) => {
        const result = await pullFromDicomweb(
          ctx,
          {
            url,
            since: date(values.since, "--since"),
            until: date(values.until, "--until"),
            modality: values.modality?.[0],
            studyDescription: values.description,
          },
          { onProgress: progressPrinter() },
        );
        await finish(ctx, result);
        return 0;
      });
    }
    case "report": {
      const jobId = args[0];
      if (!jobId) throw new UsageError("report wants a JOB_ID");
      return withContext(env, async (ctx) => {
        await printReport(ctx.db, jobId);
        return 0;
      });
    }
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportCliError(error);
  },
);
