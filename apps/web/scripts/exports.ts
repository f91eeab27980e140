// The exports on the command line (`npm run exports -w @cxr/web -- <command> ...`), through the same functions
// as the /api/exports downloads, streamed to a file or stdout. Beside a running `npm start` it finds the
// database through DATA_DIR/runtime.json; otherwise set DATABASE_URL. An operator with database access sees
// every case (no reader's blinding applies).
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { createDb } from "@cxr/db";
import { readLocalRuntime } from "@cxr/db/local-runtime";
import { z } from "zod";
import { cocoJson } from "~/server/services/exports/coco";
import { importCoco } from "~/server/services/exports/coco-import";
import { modelCard, modelCardFormats } from "~/server/services/exports/model-card";
import { single } from "~/server/services/exports/stream";
import {
  checkExportFilter,
  exportFilterSchema,
  labelsCsv,
  labelsJson,
} from "~/server/services/exports/labels";
import { auditLogCsv, auditLogFilterSchema } from "~/server/services/history/audit-log";

const USAGE = `usage:
  exports labels [--format csv|json] [--model ID] [--scope test|reviewed|predicted] [--truth KEY] [--predicted KEY] [--out FILE]
  exports coco [--model ID] [--scope ...] [--truth KEY] [--predicted KEY] [--out FILE]
  exports import-coco FILE --as ADMIN_EMAIL [--label-set cxr-4class]
  exports model-card --model ID [--format md|html] [--base-url URL] [--out FILE]
  exports audit-log [--actor TEXT] [--action PREFIX] [--entity-type T] [--entity-id ID] [--from ISO] [--to ISO] [--out FILE]`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: Object.fromEntries(
    [
      "format",
      "model",
      "scope",
      "truth",
      "predicted",
      "out",
      "as",
      "label-set",
      "actor",
      "action",
      "entity-type",
      "entity-id",
      "from",
      "to",
      "base-url",
    ].map((k) => [k, { type: "string" as const }]),
  ),
});
const flag = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : undefined);

async function databaseUrl(): Promise<string> {
  const given = z
    .url()
    .optional()
    .parse(process.env.DATABASE_URL || undefined);
  if (given) return given;
  const local = await readLocalRuntime(
    process.env.DATA_DIR
      ? path.resolve(process.env.INIT_CWD ?? process.cwd(), process.env.DATA_DIR)
      : undefined,
  );
  if (!local)
    throw new Error("DATABASE_URL is not set and no local platform is running (start it with `npm start`)");
  return local.databaseUrl;
}

function sink(): NodeJS.WritableStream {
  const out = flag("out");
  return out ? createWriteStream(path.resolve(process.env.INIT_CWD ?? process.cwd(), out)) : process.stdout;
}

async function main() {
  const [command, file] = positionals;
  if (!command || !["labels", "coco", "import-coco", "audit-log", "model-card"].includes(command))
    throw new Error(USAGE);
  const db = createDb(await databaseUrl());
  try {
    if (command === "import-coco") {
      if (!file || !flag("as")) throw new Error(USAGE);
      const actor = await db.user.findUnique({ where: { email: flag("as")! } });
      if (!actor || actor.role !== "ADMIN" || !actor.active)
        throw new Error(`${flag("as")} is not an active admin`);
      const coco = JSON.parse(
        await readFile(path.resolve(process.env.INIT_CWD ?? process.cwd(), file), "utf8"),
      ) as unknown;
      const result = await importCoco(db, { labelSetName: flag("label-set") ?? "cxr-4class", coco }, actor);
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    let chunks: AsyncGenerator<string>;
    if (command === "model-card") {
      const modelVersionId = flag("model");
      if (!modelVersionId) throw new Error(USAGE);
      const format = z.enum(modelCardFormats).parse(flag("format") ?? "md");
      // links are relative unless the app's address is given
      const baseUrl = z.url().optional().parse(flag("base-url"))?.replace(/\/$/, "");
      chunks = single(await modelCard(db, { modelVersionId }, format, { viewerId: null, baseUrl }));
    } else if (command === "audit-log") {
      const filter = auditLogFilterSchema.parse({
        actor: flag("actor"),
        action: flag("action"),
        entityType: flag("entity-type"),
        entityId: flag("entity-id"),
        from: flag("from"),
        to: flag("to"),
      });
      chunks = auditLogCsv(db, filter);
    } else {
      const filter = exportFilterSchema.parse({
        modelVersionId: flag("model"),
        scope: flag("scope"),
        truthKey: flag("truth"),
        predictedKey: flag("predicted"),
      });
      await checkExportFilter(db, filter);
      const format = z.enum(["csv", "json"]).parse(flag("format") ?? "csv");
      chunks =
        command === "coco"
          ? cocoJson(db, filter, null)
          : format === "csv"
            ? labelsCsv(db, filter, null)
            : labelsJson(db, filter, null);
    }
    await pipeline(Readable.from(chunks), sink());
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
