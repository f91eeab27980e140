// The review workspace under many readers (`npm run load:review -w @cxr/web -- --readers 50 --minutes 10`):
// seeds its own embedded database (20k images, 2 models, one account per reader), starts `next start` on
// loopback (needs a prior `next build`), signs every reader in through next-auth's credentials endpoint, and
// runs them over real HTTP against the tRPC API: queue, open the top case, autosave a draft, submit. Every
// tenth case is a deliberate conflict: a case another reader was just served, opened by its id (a direct link)
// and decided too. Afterwards it checks the database: every accepted decision is there once, nothing else is,
// each has its one audit event, no image has two decisions in force; and that no response was a 5xx.
// Prints one JSON object; exits 1 when a check fails. Bounded: --minutes (or --seconds) and --readers.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { hashPassword } from "@cxr/auth";
import { createTestDatabase, startTestServer } from "@cxr/db/testing";
import { z } from "zod";
import { numberFlags } from "./args";
import { seedQueueData } from "./seed-queue";
import { summary } from "./stats";

const flags = numberFlags({
  readers: 50,
  minutes: 10,
  /** overrides --minutes when set */
  seconds: 0,
  images: 20_000,
  port: Number(process.env.E2E_PORT_BASE ?? 4200) + 50,
});
const READERS = flags.readers;
const SECONDS = flags.seconds || flags.minutes * 60;
const IMAGES = flags.images;
const PORT = flags.port;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const PASSWORD = `load-${randomBytes(8).toString("hex")}`;
const webDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Latencies and status counts of every request, by kind. */
const times: Record<string, number[]> = { queue: [], case: [], draft: [], submit: [] };
const statuses = new Map<number, number>();
const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

class Reader {
  private cookies = new Map<string, string>();
  constructor(readonly email: string) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  }

  async signIn() {
    const csrfRes = await fetch(`${ORIGIN}/api/auth/csrf`);
    this.keep(csrfRes);
    const { csrfToken } = z.object({ csrfToken: z.string() }).parse(await csrfRes.json());
    const res = await fetch(`${ORIGIN}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: this.cookieHeader() },
      body: new URLSearchParams({ csrfToken, email: this.email, password: PASSWORD, json: "true" }),
    });
    this.keep(res);
    if (![...this.cookies.keys()].some((k) => k.includes("session-token")))
      throw new Error(`sign-in of ${this.email} failed: HTTP ${res.status}`);
  }

  /** One tRPC call (superjson envelope); returns the data, or the HTTP status of an error. */
  async call(kind: string, procedure: string, input: unknown, mutation = false) {
    const envelope = JSON.stringify({ json: input });
    const start = performance.now();
    const res = mutation
      ? await fetch(`${ORIGIN}/api/trpc/${procedure}`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie: this.cookieHeader() },
          body: envelope,
        })
      : await fetch(`${ORIGIN}/api/trpc/${procedure}?input=${encodeURIComponent(envelope)}`, {
          headers: { cookie: this.cookieHeader() },
        });
    const body = (await res.json()) as { result?: { data?: { json?: unknown } } };
    times[kind]?.push(performance.now() - start);
    count(res.status);
    return res.ok
      ? { ok: true as const, data: body.result?.data?.json }
      : { ok: false as const, status: res.status };
  }
}

const queueShape = z.object({
  entries: z.array(z.object({ imageId: z.string(), predictionId: z.string().nullable() })),
});
const caseShape = z.object({
  labelSetId: z.string(),
  classes: z.array(z.object({ id: z.string() })),
  head: z.object({ id: z.string() }).nullable(),
  prediction: z.object({ id: z.string() }).nullable(),
});

const server = await startTestServer();
const storageDir = await mkdtemp(path.join(os.tmpdir(), "cxr-load-"));
let web: ReturnType<typeof spawn> | undefined;
try {
  const t = await createTestDatabase(server.adminUrl);
  const data = await seedQueueData(t.db, {
    images: IMAGES,
    models: 2,
    readers: READERS,
    importedShare: 0.2,
    reviewed: 0,
    passwordHash: await hashPassword(PASSWORD),
  });
  // the next binary itself (not npx), so the kill below reaches the server
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  web = spawn(process.execPath, [nextBin, "start", "-H", "127.0.0.1", "-p", String(PORT)], {
    cwd: webDir,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: t.appUrl,
      NEXTAUTH_URL: ORIGIN,
      NEXTAUTH_SECRET: randomBytes(24).toString("hex"),
      INFERENCE_URL: "http://127.0.0.1:9",
      INFERENCE_TOKEN: randomBytes(24).toString("hex"),
      STORAGE_URL: storageDir,
    },
  });
  for (let i = 0; ; i++) {
    const up = await fetch(`${ORIGIN}/api/auth/csrf`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (i > 120) throw new Error("next start did not answer within 60 s (was `next build` run?)");
    await new Promise((r) => setTimeout(r, 500));
  }

  const readers = data.readers.map((r) => new Reader(r.email));
  for (const r of readers) await r.signIn();
  statuses.clear();

  /** cases recently served to someone: the deliberate conflicts open one of these */
  const served: string[] = [];
  const accepted: { readId: string; imageId: string; email: string }[] = [];
  let conflicts = 0;
  let deliberate = 0;
  let deliberateConflicts = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms * (0.5 + Math.random())));

  await Promise.all(
    readers.map(async (r, n) => {
      for (let turn = 0; Date.now() < deadline; turn++) {
        const q = await r.call("queue", "review.queue", { scope: "unreviewed" });
        if (!q.ok) continue;
        const entries = queueShape.parse(q.data).entries;
        served.push(...entries.slice(0, 2).map((e) => e.imageId));
        if (served.length > 500) served.splice(0, served.length - 500);
        // every tenth turn, a case another reader was just served (likely open on their screen), opened by its link
        const steal = (turn + n) % 10 === 0 && served.length > 40;
        const imageId = steal
          ? served[served.length - 1 - Math.floor(Math.random() * 10)]
          : entries[0]?.imageId;
        if (!imageId) continue;
        if (steal) deliberate++;
        const c = await r.call("case", "review.case", { imageId });
        if (!c.ok) continue;
        const view = caseShape.parse(c.data);
        const classId = view.classes[(n + turn) % view.classes.length]!.id;
        await pause(400);
        await r.call(
          "draft",
          "review.saveDraft",
          {
            imageId,
            draft: {
              version: 1,
              baseReadId: view.head?.id ?? null,
              classId,
              notDiagnostic: false,
              secondOpinion: false,
              comment: "",
              rois: [],
              elapsedMs: 400,
              savedAt: Date.now(),
            },
          },
          true,
        );
        await pause(400);
        const s = await r.call(
          "submit",
          "review.submit",
          {
            imageId,
            labelSetId: view.labelSetId,
            baseReadId: view.head?.id ?? null,
            classId,
            predictionId: view.prediction?.id ?? null,
            comment: `load ${r.email} ${turn}`,
            durationMs: 800,
          },
          true,
        );
        if (s.ok)
          accepted.push({
            readId: z.object({ readId: z.string() }).parse(s.data).readId,
            imageId,
            email: r.email,
          });
        else if (s.status === 409) {
          conflicts++;
          if (steal) deliberateConflicts++;
        }
      }
    }),
  );

  // the database afterwards, as its owner
  const reads = await t.db.read.findMany({
    where: { source: "READER" },
    select: {
      id: true,
      imageId: true,
      supersededBy: { select: { id: true } },
      reader: { select: { email: true } },
    },
  });
  const byId = new Map(reads.map((x) => [x.id, x]));
  const lost = accepted.filter((a) => byId.get(a.readId)?.reader?.email !== a.email);
  const acceptedIds = new Set(accepted.map((a) => a.readId));
  const unexpected = reads.filter((x) => !acceptedIds.has(x.id));
  const audits = await t.db.auditEvent.groupBy({
    by: ["entityId"],
    where: { entityType: "Read", action: { in: ["read.created", "read.corrected"] } },
    _count: true,
  });
  const auditCount = new Map(audits.map((a) => [a.entityId, a._count]));
  const auditMismatches =
    reads.filter((x) => auditCount.get(x.id) !== 1).length +
    audits.filter((a) => !byId.has(a.entityId)).length;
  const heads = new Map<string, number>();
  for (const x of reads) if (!x.supersededBy) heads.set(x.imageId, (heads.get(x.imageId) ?? 0) + 1);
  const imagesWithTwoHeads = [...heads.values()].filter((h) => h > 1).length;
  const http5xx = [...statuses].filter(([s]) => s >= 500).reduce((sum, [, k]) => sum + k, 0);
  const attempts = accepted.length + conflicts;
  const checks = {
    lostDecisions: lost.length,
    duplicatedOrUnexpectedDecisions: unexpected.length,
    auditMismatches,
    imagesWithTwoDecisionsInForce: imagesWithTwoHeads,
    http5xx,
  };
  const pass = Object.values(checks).every((v) => v === 0);
  console.log(
    JSON.stringify(
      {
        load: "review workspace over HTTP (next start, loopback)",
        readers: READERS,
        seconds: SECONDS,
        images: IMAGES,
        ms: {
          queue: summary(times.queue!),
          case: summary(times.case!),
          draft: summary(times.draft!),
          submit: summary(times.submit!),
        },
        counts: {
          queueCalls: times.queue!.length,
          casesOpened: times.case!.length,
          draftsSaved: times.draft!.length,
          submits: attempts,
          accepted: accepted.length,
          conflicts,
          deliberateSameImage: deliberate,
          deliberateConflicts,
          statuses: Object.fromEntries(statuses),
        },
        conflictRate: attempts ? Math.round((conflicts / attempts) * 1000) / 1000 : 0,
        // the queue's own conflicts: submits of cases the queue served, the deliberate direct links left out
        servedConflictRate:
          attempts - deliberate > 0
            ? Math.round(((conflicts - deliberateConflicts) / (attempts - deliberate)) * 1000) / 1000
            : 0,
        checks,
        pass,
      },
      null,
      2,
    ),
  );
  await t.close();
  if (!pass) process.exitCode = 1;
} finally {
  web?.kill("SIGTERM");
  await server.stop();
  await rm(storageDir, { recursive: true, force: true });
}
