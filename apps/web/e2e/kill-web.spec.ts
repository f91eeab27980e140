// Kill test of the web app: a reader's batch of decisions is submitted over HTTP, the server is killed with
// SIGKILL while the batch is in flight, restarted, and the unanswered submits are retried with their
// submissionId. Afterwards every decision is stored exactly once, with one audit event per read and per ROI,
// and no draft was lost: a case either has its read (and no draft) or still has its draft.
// The stack's own web app stops the whole stack when it dies, so this test kills a second `next start` of the
// same build, on the stack's database and storage.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { type Db } from "@cxr/db";
import { blankDraft, createReviewFixture } from "../test/review-fixtures";
import { account } from "./fixtures";
import { stackHandles } from "./review-stack";
import { apiSession } from "./session";

const PORT = Number(process.env.E2E_PORT_BASE ?? 3100) + 10;
const baseURL = `http://localhost:${PORT}`;
const CASES = 30;
const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
const webDir = fileURLToPath(new URL("..", import.meta.url));

/** `next start` of the built app in its own process group (so SIGKILL reaches all of it); ready when it answers. */
async function startWeb(runtime: { databaseUrl: string; storageUrl: string }): Promise<ChildProcess> {
  const child = spawn(process.execPath, [nextBin, "start", "-p", String(PORT)], {
    cwd: webDir,
    detached: true,
    stdio: "ignore",
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: runtime.databaseUrl,
      STORAGE_URL: runtime.storageUrl,
      NEXTAUTH_URL: baseURL,
      // the same secret across the restart, so the reader's session cookie stays valid
      NEXTAUTH_SECRET: "kill-web-test-secret-0123456789",
      INFERENCE_URL: "http://127.0.0.1:9",
      INFERENCE_TOKEN: "kill-web-test-token-0123456789",
    },
  });
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    const up = await fetch(`${baseURL}/api/auth/csrf`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return child;
    if (Date.now() > deadline) throw new Error("next start did not answer in time");
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid!, "SIGKILL");
  await exited;
}

test("SIGKILL of the web app during a batch of decisions: after a restart and retries, each is stored once", async () => {
  test.setTimeout(240_000);
  const { db, storage, runtime } = await stackHandles();
  let web: ChildProcess | undefined;
  let api: APIRequestContext | undefined;
  try {
    const fx = await createReviewFixture(db, storage, {
      count: CASES,
      size: 32,
      tag: `e2e-kill-${Date.now()}`,
    });
    web = await startWeb(runtime);
    const rosa = account("RADIOLOGIST");
    api = await apiSession(baseURL, rosa.email, rosa.password);
    const reader = await db.user.findUniqueOrThrow({ where: { email: rosa.email } });
    const post = (procedure: string, input: unknown) =>
      api!.post(`/api/trpc/${procedure}`, { data: { json: input }, timeout: 60_000 });

    const decisions = fx.imageIds.map((imageId, n) => ({
      imageId,
      labelSetId: fx.labelSetId,
      baseReadId: null,
      classId: Object.values(fx.classIds)[n % 4]!,
      predictionId: null,
      comment: `kill test ${n}`,
      durationMs: 1000 + n,
      rois: [
        {
          shape: "RECTANGLE",
          classId: null,
          points: [
            [0.1, 0.1],
            [0.2 + n / 100, 0.3],
          ],
        },
      ],
      submissionId: randomUUID(),
    }));
    // the reader's drafts of every case, as autosave leaves them before the submit
    for (const d of decisions) {
      const saved = await post("review.saveDraft", {
        imageId: d.imageId,
        draft: blankDraft({ classId: d.classId, comment: d.comment }),
      });
      expect(saved.status()).toBe(200);
    }

    // the whole batch at once; the server dies once a third of it is answered, with the rest in flight
    const answered = new Map<string, string>();
    let killing: Promise<void> | undefined;
    await Promise.all(
      decisions.map(async (d) => {
        try {
          const res = await post("review.submit", d);
          if (res.status() !== 200) throw new Error(`submit answered ${res.status()}: ${await res.text()}`);
          const body = (await res.json()) as { result: { data: { json: { readId: string } } } };
          answered.set(d.submissionId, body.result.data.json.readId);
        } catch (error) {
          if (error instanceof Error && error.message.startsWith("submit answered")) throw error;
          return; // the connection died with the server: unanswered
        }
        if (answered.size >= CASES / 3) killing ??= kill(web!);
      }),
    );
    await killing;
    const unanswered = decisions.filter((d) => !answered.has(d.submissionId));
    expect(answered.size, "some submits were answered before the kill").toBeGreaterThan(0);
    expect(unanswered.length, "some submits were in flight at the kill").toBeGreaterThan(0);

    // after the crash, before any retry: each case has its read or still its draft, never neither nor both
    let storedUnanswered = 0;
    for (const d of decisions) {
      const reads = await db.read.count({ where: { imageId: d.imageId, readerId: reader.id } });
      const drafts = await db.reviewDraft.count({ where: { imageId: d.imageId, userId: reader.id } });
      expect({ reads, drafts }, d.imageId).toEqual(
        reads === 1 ? { reads: 1, drafts: 0 } : { reads: 0, drafts: 1 },
      );
      if (answered.has(d.submissionId)) expect(reads).toBe(1);
      else storedUnanswered += reads;
    }
    // how the kill fell: answered, in flight, and in flight but committed (the lost answers a retry must find)
    const figures = {
      cases: CASES,
      answered: answered.size,
      unanswered: unanswered.length,
      storedUnanswered,
    };
    test.info().annotations.push({ type: "kill", description: JSON.stringify(figures) });
    console.log(JSON.stringify(figures));

    // restart; the browser retries what got no answer with the same submissionId (and, harmlessly, one that did)
    web = await startWeb(runtime);
    const retried = [...unanswered, decisions.find((d) => answered.has(d.submissionId))!];
    for (const d of retried) {
      const res = await post("review.submit", d);
      expect(res.status(), await res.text()).toBe(200);
      const { readId } = ((await res.json()) as { result: { data: { json: { readId: string } } } }).result
        .data.json;
      if (answered.has(d.submissionId)) expect(readId).toBe(answered.get(d.submissionId));
    }

    // every decision exactly once, as submitted; one audit event per read and per ROI; no draft left behind
    const reads = await db.read.findMany({
      where: { imageId: { in: fx.imageIds }, readerId: reader.id },
      include: { annotations: true },
    });
    expect(reads).toHaveLength(CASES);
    for (const d of decisions) {
      const mine = reads.filter((r) => r.imageId === d.imageId);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ submissionId: d.submissionId, classId: d.classId, notes: d.comment });
      expect(mine[0]!.annotations).toHaveLength(1);
    }
    const readIds = reads.map((r) => r.id);
    const annotationIds = reads.flatMap((r) => r.annotations.map((a) => a.id));
    expect(await auditCount(db, "Read", readIds)).toBe(CASES);
    expect(await auditCount(db, "Annotation", annotationIds)).toBe(CASES);
    expect(await db.reviewDraft.count({ where: { imageId: { in: fx.imageIds } } })).toBe(0);
  } finally {
    await api?.dispose();
    if (web) await kill(web);
    await db.$disconnect();
  }
});

const auditCount = (db: Db, entityType: string, ids: string[]) =>
  db.auditEvent.count({ where: { entityType, entityId: { in: ids } } });
