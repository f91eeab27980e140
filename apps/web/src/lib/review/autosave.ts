// Sending drafts to the server behind the browser's copy: debounced (one request per pause in the work, the
// newest version of each case's draft only), one at a time, retried with growing delays while the network
// is down, and paused on an expired session until the reader is back. Nothing here is lost when a request
// fails: the browser's copy was written first.
import { type Draft } from "./draft";

export type SyncOp = { kind: "save"; draft: Draft } | { kind: "delete" };

export type SyncStatus =
  | { state: "idle" }
  | { state: "pending" }
  | { state: "saving" }
  | { state: "saved" }
  | { state: "offline"; retryInMs: number }
  | { state: "unauthorized" }
  | { state: "error"; message: string };

export type FailureKind = "network" | "unauthorized" | "fatal";

export interface DraftSyncOptions {
  send: (imageId: string, op: SyncOp) => Promise<void>;
  /** network: retried later; unauthorized: paused until resume(); fatal: dropped (the server refused it) */
  classify: (error: unknown) => FailureKind;
  onStatus: (imageId: string, status: SyncStatus) => void;
  debounceMs?: number;
  /** the delay before retry number `attempt` (0, 1, ...) after a network error */
  backoffMs?: (attempt: number) => number;
}

export const defaultBackoff = (attempt: number) => Math.min(30_000, 1000 * 2 ** attempt);

export class DraftSync {
  private readonly pending = new Map<string, SyncOp>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: { imageId: string; cancelled: boolean; done: Promise<void> } | null = null;
  private attempt = 0;
  private paused = false;
  private disposed = false;
  private readonly debounceMs: number;
  private readonly backoffMs: (attempt: number) => number;

  constructor(private readonly options: DraftSyncOptions) {
    this.debounceMs = options.debounceMs ?? 800;
    this.backoffMs = options.backoffMs ?? defaultBackoff;
  }

  /** Queues the case's newest draft (or its deletion), replacing anything of that case not yet sent. */
  schedule(imageId: string, op: SyncOp): void {
    if (this.disposed) return;
    this.pending.set(imageId, op);
    if (this.paused) {
      this.options.onStatus(imageId, { state: "unauthorized" });
      return;
    }
    this.options.onStatus(imageId, { state: "pending" });
    this.arm(this.debounceMs);
  }

  /** Sends what waits now instead of after the debounce (the page is being hidden or left). */
  flush(): void {
    if (!this.paused && this.pending.size > 0) this.arm(0);
  }

  /** Whether something of this case waits to be sent or is being sent. */
  busy(imageId: string): boolean {
    return this.pending.has(imageId) || this.inFlight?.imageId === imageId;
  }

  /**
   * Drops what waits for this case and lets a request in flight finish first, so a submit that follows
   * cannot be overtaken by an older autosave (which would bring back the draft it deleted).
   */
  async cancel(imageId: string): Promise<void> {
    this.pending.delete(imageId);
    const flight = this.inFlight;
    if (flight?.imageId === imageId) {
      flight.cancelled = true;
      await flight.done;
    }
    this.options.onStatus(imageId, { state: "idle" });
  }

  /** After the reader signed in again (or the network came back): try what waits at once. */
  resume(): void {
    this.paused = false;
    this.attempt = 0;
    if (this.pending.size > 0) this.arm(0);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(ms: number): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.drain();
    }, ms);
  }

  private async drain(): Promise<void> {
    if (this.inFlight || this.paused || this.disposed) return;
    const next = this.pending.entries().next();
    if (next.done) return;
    const [imageId, op] = next.value;
    this.pending.delete(imageId);
    this.options.onStatus(imageId, { state: "saving" });
    let settle = () => {};
    const flight = { imageId, cancelled: false, done: new Promise<void>((r) => (settle = r)) };
    this.inFlight = flight;
    let failure: FailureKind | null = null;
    let message = "";
    try {
      await this.options.send(imageId, op);
      this.attempt = 0;
    } catch (error) {
      failure = this.options.classify(error);
      message = error instanceof Error ? error.message : String(error);
      // a newer version replaces the failed one; a cancelled case is not tried again
      if (failure !== "fatal" && !flight.cancelled && !this.pending.has(imageId))
        this.pending.set(imageId, op);
    } finally {
      this.inFlight = null;
      settle();
    }
    if (this.disposed || flight.cancelled) {
      if (this.pending.size > 0 && !this.timer) this.arm(0);
      return;
    }
    const newer = this.pending.has(imageId);
    if (failure === null) {
      if (!newer) this.options.onStatus(imageId, op.kind === "save" ? { state: "saved" } : { state: "idle" });
      if (this.pending.size > 0 && !this.timer) this.arm(newer ? this.debounceMs : 0);
    } else if (failure === "network") {
      const wait = this.backoffMs(this.attempt++);
      this.options.onStatus(imageId, { state: "offline", retryInMs: wait });
      this.arm(wait);
    } else if (failure === "unauthorized") {
      this.paused = true;
      this.options.onStatus(imageId, { state: "unauthorized" });
    } else {
      this.options.onStatus(imageId, { state: "error", message });
      if (this.pending.size > 0 && !this.timer) this.arm(0);
    }
  }
}
