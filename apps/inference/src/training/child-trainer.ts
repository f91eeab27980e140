// Runs a training run's heavy part (trainCandidate) in a child process (child_process.fork), so the service's
// event loop stays free while TensorFlow.js's synchronous kernels hold a thread for a whole epoch: health,
// predictions and progress streaming keep answering. A child process rather than a worker thread: tfjs's wasm and
// native backends keep per-process state (backend registry, thread pool, loaded kernels) that is not safe to
// initialise twice in one process, and a process can be killed outright on cancel without disturbing the service.
// The child reports progress over IPC without waiting; the parent writes it, and kills the child when the run
// leaves RUNNING (cancel) or the receiver rejects.
import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { CandidateEvent, CandidateOutcome, CandidatePlan } from "./candidate";

export interface ChildTrainerSettings {
  /** a module exporting `createTrainingEngine(): Promise<MlEngine>`, loaded in the child */
  engineModule: string;
  /** variables for the child on top of the service's own (the storage's STORAGE_URL, test seams) */
  env?: Record<string, string>;
  /**
   * keep a spare child started, its engine loaded, for the next run: a child's start (tsx, TensorFlow.js, the
   * backend) takes seconds on a small CPU, longer than a cached head-only retraining itself
   */
  keepWarm?: boolean;
}

/** What the child sends: progress, the outcome, or why it failed. */
export const childMessageSchema = z.discriminatedUnion("type", [
  /** a spare child has loaded its engine */
  z.object({ type: z.literal("ready") }),
  z.object({ type: z.literal("event"), event: z.custom<CandidateEvent>() }),
  z.object({ type: z.literal("done"), outcome: z.custom<CandidateOutcome>() }),
  z.object({ type: z.literal("failed"), message: z.string() }),
]);
export type ChildMessage = z.infer<typeof childMessageSchema>;

export interface ChildStart {
  plan: CandidatePlan;
  databaseUrl: string;
  engineModule: string;
}

const childEntry = fileURLToPath(new URL("./child.ts", import.meta.url));
// the child runs TypeScript through tsx's loader, in its own process (no CLI wrapper that a kill would miss)
const tsxLoader = createRequire(import.meta.url).resolve("tsx");

export class ChildStopped extends Error {}

/**
 * Runs the plan in a child process. Rejects with ChildStopped when `signal` aborts (the child is killed), with
 * the receiver's error when `report` rejects, and with a message naming the signal or exit code when the child
 * dies on its own.
 */
const spares = new Map<string, ChildProcess>();
const spareKey = (settings: ChildTrainerSettings) =>
  JSON.stringify([settings.engineModule, settings.env ?? {}]);

function forkChild(settings: ChildTrainerSettings): ChildProcess {
  return fork(childEntry, [], {
    execArgv: ["--import", tsxLoader],
    // the child loads its engine as soon as it starts, before a plan arrives
    env: { ...process.env, ...settings.env, CXR_TRAINING_ENGINE_MODULE: settings.engineModule },
    // typed arrays and dates cross as they are
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

const alive = (child: ChildProcess) =>
  child.exitCode === null && child.signalCode === null && child.connected;

/** Starts a spare child for the next run (keepWarm), unless one is waiting; it never keeps the service alive. */
export function warmChildTrainer(settings: ChildTrainerSettings): void {
  const key = spareKey(settings);
  const spare = spares.get(key);
  if (spare && alive(spare)) return;
  const child = forkChild(settings);
  child.on("exit", () => {
    if (spares.get(key) === child) spares.delete(key);
  });
  ready.set(
    child,
    new Promise<void>((resolve) => {
      child.on("message", (m) => childMessageSchema.safeParse(m).data?.type === "ready" && resolve());
      child.on("exit", () => resolve());
    }),
  );
  child.unref();
  (child.channel as { unref?: () => void } | undefined)?.unref?.();
  spares.set(key, child);
}

const ready = new WeakMap<ChildProcess, Promise<void>>();

/** Resolves once the spare child has loaded its engine (or is gone): benchmarks measure runs, not start-up. */
export async function warmChildReady(settings: ChildTrainerSettings): Promise<void> {
  const spare = spares.get(spareKey(settings));
  if (spare) await ready.get(spare);
}

/** Stops the spare children (service shutdown). */
export function closeChildTrainers(): void {
  for (const child of spares.values()) child.kill("SIGTERM");
  spares.clear();
}

function takeChild(settings: ChildTrainerSettings): ChildProcess {
  const key = spareKey(settings);
  const spare = spares.get(key);
  spares.delete(key);
  if (spare && alive(spare)) {
    spare.ref();
    (spare.channel as { ref?: () => void } | undefined)?.ref?.();
    return spare;
  }
  return forkChild(settings);
}

export function trainInChild(
  settings: ChildTrainerSettings,
  start: Omit<ChildStart, "engineModule">,
  report: (event: CandidateEvent) => Promise<void>,
  signal: AbortSignal,
): Promise<CandidateOutcome> {
  return new Promise<CandidateOutcome>((resolve, reject) => {
    const child = takeChild(settings);
    let settled = false;
    const finish = (error: Error | null, outcome?: CandidateOutcome) => {
      if (settled) return;
      settled = true;
      // the next run's child starts after this one, not during it (they would share the CPU)
      if (settings.keepWarm) warmChildTrainer(settings);
      signal.removeEventListener("abort", onAbort);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      if (error) reject(error);
      else resolve(outcome!);
    };
    const onAbort = () => finish(new ChildStopped("training stopped"));
    signal.addEventListener("abort", onAbort);
    // progress in order, one write at a time; a rejected write (the run was cancelled) stops the child
    let reports = Promise.resolve();
    child.on("message", (raw) => {
      const parsed = childMessageSchema.safeParse(raw);
      if (!parsed.success) return finish(new Error("the training process sent an unreadable message"));
      const message = parsed.data;
      if (message.type === "ready") return;
      if (message.type === "event") {
        reports = reports
          .then(() => report(message.event))
          .catch((error: unknown) => {
            finish(error instanceof Error ? error : new Error(String(error)));
          });
      } else if (message.type === "done") {
        // the last progress is written before the run goes on to registration
        void reports.then(() => finish(null, message.outcome));
      } else finish(new Error(message.message));
    });
    child.on("error", (error) => finish(error));
    child.on(
      "exit",
      (code, exitSignal) =>
        // a "done" still being reported settles first; anything else is a death
        void reports.then(() =>
          finish(
            new Error(
              exitSignal
                ? `the training process was killed by ${exitSignal}`
                : `the training process exited with code ${code ?? "unknown"} before it finished`,
            ),
          ),
        ),
    );
    if (signal.aborted) return onAbort();
    child.send({ ...start, engineModule: settings.engineModule } satisfies ChildStart);
  });
}
