// Entry of `npm run ingest -- COMMAND ...` (usage: cli-args.ts). `render` needs no database; the other
// commands (cli-commands.ts) load the generated Prisma client, so they are imported only when asked for,
// and a missing client becomes a message saying what to run instead of ERR_MODULE_NOT_FOUND.
import { reportCliError } from "./cli-args";
import { renderCommand } from "./render-cli";

const [command, ...rest] = process.argv.slice(2);

function missingPrismaClient(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === "ERR_MODULE_NOT_FOUND" && String(e.message).includes("generated");
}

if (command === "render") {
  renderCommand(rest).then(
    (code) => (process.exitCode = code),
    (error: unknown) => (process.exitCode = reportCliError(error)),
  );
} else {
  import("./cli-commands").catch((error: unknown) => {
    if (!missingPrismaClient(error)) throw error;
    console.error(
      "ingest: the database client is not generated yet. Run `npm start` once (it generates it and starts the\n" +
        "platform), or only `npx turbo run generate`, then try again.",
    );
    process.exitCode = 1;
  });
}
