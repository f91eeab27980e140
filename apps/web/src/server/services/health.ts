export type PartStatus = "up" | "down";

export interface Health {
  ok: boolean;
  db: PartStatus;
  inference: PartStatus;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function probe(check: () => Promise<unknown>, ms: number): Promise<PartStatus> {
  try {
    await withTimeout(check(), ms);
    return "up";
  } catch {
    return "down";
  }
}

/** Both checks run in parallel, each bounded, so a hung dependency cannot hang the health endpoint. */
export async function checkHealth(
  checks: { db: () => Promise<unknown>; inference: () => Promise<unknown> },
  timeoutMs = 2000,
): Promise<Health> {
  const [db, inference] = await Promise.all([
    probe(checks.db, timeoutMs),
    probe(checks.inference, timeoutMs),
  ]);
  return { ok: db === "up" && inference === "up", db, inference };
}

/** GET {baseUrl}/health must answer 2xx. */
export async function pingInference(baseUrl: string, timeoutMs = 2000): Promise<void> {
  const res = await fetch(`${baseUrl.replace(/\/$/, "")}/health`, {
    signal: AbortSignal.timeout(timeoutMs),
    cache: "no-store",
  });
  if (!res.ok) throw new Error(`inference health answered ${res.status}`);
}
