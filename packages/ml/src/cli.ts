// The ml CLI: `npm run ml -- <synth|train|evaluate|gradcam|bench> ...` from the repository root. Errors end as
// one line on stderr and a non-zero exit (2 for bad arguments), never a stack trace.
import { initBackend } from "./backend";
import { benchCommand } from "./cli/bench";
import { evaluateCommand } from "./cli/evaluate";
import { gradcamCommand } from "./cli/gradcam";
import { synthCommand } from "./cli/synth";
import { trainCommand } from "./cli/train";
import { UsageError } from "./cli/args";
import { readEnv } from "./env";

const commands: Record<string, (argv: string[]) => Promise<void>> = {
  synth: synthCommand,
  train: trainCommand,
  evaluate: evaluateCommand,
  gradcam: gradcamCommand,
  bench: benchCommand,
  "import-weights": async (argv) => (await import("./cli/import-weights")).importWeightsCommand(argv),
};

const usage = "usage: ml <synth|train|evaluate|gradcam|bench> [options] (see packages/ml/README.md)";

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split("\n").find((l) => l.trim() !== "") ?? "unknown error").trim();
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h") {
    console.error(usage);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`error: unknown command "${name}"; ${usage}`);
    return 2;
  }
  try {
    if (name !== "synth") await initBackend(readEnv().ML_BACKEND);
    await command(rest);
    return 0;
  } catch (error) {
    console.error(`error: ${oneLine(error)}`);
    return error instanceof UsageError ? 2 : 1;
  }
}

process.on("unhandledRejection", (error) => {
  console.error(`error: ${oneLine(error)}`);
  process.exit(1);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`error: ${oneLine(error)}`);
    process.exitCode = 1;
  },
);
