// The training child process (see child-trainer.ts): receives one plan, runs trainCandidate with its own database
// connection, storage and engine, streams progress to the parent and sends the outcome. It exits when the parent
// goes away (its IPC channel closes, or a report fails), so a service killed with SIGKILL leaves no training behind.
import { createDb } from "@cxr/db";
import { createStorage, loadStorageEnv } from "@cxr/storage";
import { z } from "zod";
import type { MlEngine } from "../engine/types";
import { trainCandidate, type CandidatePlan } from "./candidate";
import type { ChildMessage } from "./child-trainer";

const startSchema = z.object({
  plan: z.custom<CandidatePlan>((v) => typeof v === "object" && v !== null),
  databaseUrl: z.string().min(1),
  engineModule: z.string().min(1),
});
const engineModuleSchema = z.object({
  createTrainingEngine: z.custom<() => Promise<MlEngine>>((v) => typeof v === "function"),
});

const send = (message: ChildMessage) =>
  new Promise<void>((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, (error) => {
      // the parent is gone (killed): a child whose thread was busy in an epoch when the channel closed sees an
      // EPIPE here and never a "disconnect", so it would train on as an orphan; it stops at its next report
      if (error) process.exit(1);
      resolve();
    });
  });

async function loadEngine(module: string): Promise<MlEngine> {
  const { createTrainingEngine } = engineModuleSchema.parse(await import(module));
  return createTrainingEngine();
}

// loaded at once, while the child waits for its plan (a spare child is started ahead of the run)
const preloaded = process.env.CXR_TRAINING_ENGINE_MODULE;
const early = preloaded ? loadEngine(preloaded) : undefined;
early?.then(
  () => send({ type: "ready" }),
  () => {}, // reported when the plan arrives
);

process.on("disconnect", () => process.exit(1));
process.once("message", (raw) => {
  void (async () => {
    const start = startSchema.parse(raw);
    const engine = await (start.engineModule === preloaded && early ? early : loadEngine(start.engineModule));
    const db = createDb(start.databaseUrl, { max: 2 });
    try {
      const outcome = await trainCandidate(
        { db, storage: createStorage(loadStorageEnv()), engine },
        start.plan,
        (event) => send({ type: "event", event }),
      );
      await send({ type: "done", outcome });
    } finally {
      await db.$disconnect();
    }
  })()
    .then(() => process.exit(0))
    .catch(async (error: unknown) => {
      await send({ type: "failed", message: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    });
});
