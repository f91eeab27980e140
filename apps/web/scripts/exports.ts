// The exports on the command line (`npm run exports -w @cxr/web -- <command> ...`), through the same functions
// as the /api/exports downloads (and "Send to PACS"), streamed to a file or stdout. Beside a running `npm start` it finds the
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
import { createStorage, loadStorageEnv } from "@cxr/storage";
import { cocoJson } from "~/server/services/exports/coco";
import { pushToPacs, segmentation, structuredReport } from "~/server/services/exports/dicom";
import { masksZip } from "~/server/services/exports/masks";
import { importCoco } from "~/server/services/exports/coco-import";
import { modelCard, modelCardFormats } from "~/server/services/exports/model-card";
import { single, singleBytes } from "~/server/services/exports/stream";
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
  exports masks [--model ID] [--scope ...] [--truth KEY] [--predicted KEY] --out FILE.zip
  exports dicom-sr --image ID [--read ID] [--out FILE.dcm]
  exports dicom-seg --image ID [--read ID] [--out FILE.dcm]
  exports push-pacs --image ID [--read ID] --pacs DICOMWEB_URL --as EMAIL   (ADMIN or RADIOLOGIST)
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
      "image",
      "read",
      "pacs",
    ].map((k) => [k, { type: "string" as const }]),
  ),
});
const flag = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : undefined);

async function localRuntime(missing: string) {
  const local = await readLocalRuntime(
    process.env.DATA_DIR
      ? path.resolve(process.env.INIT_CWD ?? process.cwd(), process.env.DATA_DIR)
      : undefined,
  );
  if (!local)
    throw new Error(`${missing} is not set and no local platform is running (start it with \`npm start\`)`);
  return local;
}

async function databaseUrl(): Promise<string> {
  const given = z
    .url()
    .optional()
    .parse(process.env.DATABASE_URL || undefined);
  return given ?? (await localRuntime("DATABASE_URL")).databaseUrl;
}

/** The images' storage (the DICOM exports read the originals): STORAGE_URL and S3_*, else the local platform's. */
async function storage() {
  const env = loadStorageEnv();
  return createStorage(
    process.env.STORAGE_URL ? env : { ...env, STORAGE_URL: (await localRuntime("STORAGE_URL")).storageUrl },
  );
}

function sink(): NodeJS.WritableStream {
  const out = flag("out");
  return out ? createWriteStream(path.resolve(process.env.INIT_CWD ?? process.cwd(), out)) : process.stdout;
}

async function main() {
  const [command, file] = positionals;
  const commands = [
    "labels",
    "coco",
    "masks",
    "import-coco",
    "audit-log",
    "model-card",
    "dicom-sr",
    "dicom-seg",
    "push-pacs",
  ];
  if (!command || !commands.includes(command)) throw new Error(USAGE);
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
    let chunks: AsyncGenerator<string | Uint8Array>;
    if (command.startsWith("dicom-") || command === "push-pacs") {
      const imageId = flag("image");
      if (!imageId) throw new Error(USAGE);
      const input = { imageId, readId: flag("read") };
      const objects = await storage();
      if (command === "push-pacs") {
        const actor = await db.user.findUnique({ where: { email: flag("as") ?? "" } });
        if (!actor || !actor.active || (actor.role !== "ADMIN" && actor.role !== "RADIOLOGIST"))
          throw new Error(`--as must name an active ADMIN or RADIOLOGIST\n${USAGE}`);
        const result = await pushToPacs({ db, storage: () => objects }, input, flag("pacs"), actor);
        process.stdout.write(`${JSON.stringify(result)}\n`);
        return;
      }
      const build = command === "dicom-sr" ? structuredReport : segmentation;
      chunks = singleBytes((await build({ db, storage: objects }, input)).bytes);
    } else if (command === "model-card") {
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
          : command === "masks"
            ? masksZip(db, filter, null)
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
