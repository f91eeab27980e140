// Promotion integrity against a real PostgreSQL: the gate compares a candidate with the champion that is
// current when it is registered, reject and promote of one version are serialised, manual promotion needs an
// active admin and an explicit override for a model that failed the gate, and the progress stream does not
// pile up abort listeners.
import { getEventListeners } from "node:events";
import { lockKey, withAdvisoryLock } from "@cxr/domain";
import { createInferenceClient, type InferenceClient } from "@cxr/inference-api/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import type { EvaluationMetrics } from "../src/engine/types";
import { promoteModel, rejectModel, rollbackModel } from "../src/models/registry";
import { followTraining } from "../src/training/follow";
import { createFakeEngine } from "./fixtures/fake-engine";
import { until } from "./fixtures/replica-process";
import {
  importImages,
  registerFakeModel,
  startTestService,
  TOKEN,
  type TestService,
} from "./fixtures/service";
import { codeOf } from "./helpers";

let svc: TestService;
let client: InferenceClient;
let adminId: string;
let labelSetId: string;

beforeAll(async () => {
  svc = await startTestService(inject("testDatabaseAdminUrl"));
  client = createInferenceClient({ url: svc.url, token: TOKEN });
  await importImages(svc.db, svc.storageDir, 24);
  adminId = (await svc.db.user.create({ data: { email: "admin@test", name: "Admin", role: "ADMIN" } })).id;
  labelSetId = (await svc.db.labelSet.findUniqueOrThrow({ where: { name: "cxr-4class" } })).id;
});
afterAll(() => svc?.stop());

async function train(epochs: number) {
  const run = await client.training.start.mutate({
    labelSet: "cxr-4class",
    epochs,
    labelSources: ["IMPORTED"],
  });
  await until(async () => {
    const row = await svc.db.trainingRun.findUniqueOrThrow({ where: { id: run.id } });
    return !["QUEUED", "RUNNING"].includes(row.status);
  }, 30_000);
  const row = await svc.db.trainingRun.findUniqueOrThrow({
    where: { id: run.id },
    include: { modelVersion: true },
  });
  expect(row.status, row.error ?? "").toBe("SUCCEEDED");
  return row.modelVersion!;
}

const statusOf = async (id: string) =>
  (await svc.db.modelVersion.findUniqueOrThrow({ where: { id } })).status;
const gateOf = (metrics: unknown) => (metrics as { gate: { passed: boolean } | null }).gate;

describe("promotion integrity", () => {
  let strongId = "";
  let weakId = "";
  it("gates a candidate against the champion current when it is registered, not the one it first measured", async () => {
    // more epochs, a better fake model: the strong one becomes champion, the weak one waits as a candidate
    strongId = (await train(4)).id;
    const weak = await train(1);
    weakId = weak.id;
    expect(gateOf(weak.metrics)?.passed).toBe(false);
    // the weak one reigns for a while (an operator's override)
    await promoteModel(svc.db, { id: weakId, actorId: adminId, overrideGate: true, reason: "test set-up" });

    // while the next run measures the weak champion, another replica rolls back to the strong one
    const base = createFakeEngine();
    let evaluations = 0;
    svc.service.deps.engine = {
      ...base,
      evaluate: async (model, examples): Promise<EvaluationMetrics> => {
        evaluations++;
        // call 1: the candidate; call 2: the champion it found (the weak one)
        if (evaluations === 2)
          await rollbackModel(svc.db, { labelSet: "cxr-4class", toId: strongId, actorId: adminId });
        return base.evaluate(model, examples);
      },
    };
    try {
      const candidate = await train(1);
      // as good as the weak model, worse than the strong one: the strong champion stays
      expect(await statusOf(strongId)).toBe("CHAMPION");
      expect(candidate.status).toBe("CANDIDATE");
      expect(gateOf(candidate.metrics)?.passed).toBe(false);
      expect((candidate.metrics as { champion: { id: string } }).champion.id).toBe(strongId);
      expect(await svc.db.modelVersion.count({ where: { labelSetId, status: "CHAMPION" } })).toBe(1);
    } finally {
      svc.service.deps.engine = base;
    }
  });

  it("serialises reject and promote of one candidate: exactly one of them wins", async () => {
    const candidateId = await registerFakeModel(svc.db, svc.modelsDir, "reject-vs-promote");
    // hold the label set's champion lock while both start
    let release!: () => void;
    let locked!: () => void;
    const lockTaken = new Promise<void>((r) => (locked = r));
    const holder = svc.db.$transaction(
      async (tx) => {
        await withAdvisoryLock(tx, lockKey("champion", labelSetId));
        locked();
        await new Promise<void>((r) => (release = r));
      },
      { timeout: 20_000 },
    );
    await lockTaken;
    const settle = (p: Promise<unknown>) =>
      p.then(
        () => true,
        () => false,
      );
    const promoted = settle(
      promoteModel(svc.db, { id: candidateId, actorId: adminId, overrideGate: true, reason: "race" }),
    );
    const rejected = settle(rejectModel(svc.db, { id: candidateId, actorId: adminId, reason: "race" }));
    await new Promise((r) => setTimeout(r, 300));
    release();
    await holder;
    const outcomes = await Promise.all([promoted, rejected]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await statusOf(candidateId)).toBe(outcomes[0] ? "CHAMPION" : "REJECTED");
    expect(await svc.db.modelVersion.count({ where: { labelSetId, status: "CHAMPION" } })).toBe(1);
  });

  it("lets only an active admin decide, refuses rejected and retired versions, and needs an override for a failed gate", async () => {
    const candidateId = await registerFakeModel(svc.db, svc.modelsDir, "manual");
    const reader = await svc.db.user.create({
      data: { email: "reader@test", name: "R", role: "RADIOLOGIST" },
    });
    const gone = await svc.db.user.create({
      data: { email: "gone@test", name: "G", role: "ADMIN", active: false },
    });
    const promote = (input: { id: string; actorId: string; overrideGate?: boolean; reason?: string }) =>
      client.models.promote.mutate(input);

    expect(
      await codeOf(promote({ id: candidateId, actorId: "no-such-user", overrideGate: true, reason: "x" })),
    ).toBe("UNAUTHORIZED");
    expect(
      await codeOf(promote({ id: candidateId, actorId: gone.id, overrideGate: true, reason: "x" })),
    ).toBe("UNAUTHORIZED");
    expect(
      await codeOf(promote({ id: candidateId, actorId: reader.id, overrideGate: true, reason: "x" })),
    ).toBe("FORBIDDEN");
    expect(await codeOf(client.models.reject.mutate({ id: candidateId, actorId: reader.id }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(client.training.cancel.mutate({ id: "any", actorId: reader.id }))).toBe("FORBIDDEN");
    // never measured by the gate: promotion needs the override, and an override needs a reason
    expect(await codeOf(promote({ id: candidateId, actorId: adminId }))).toBe("PRECONDITION_FAILED");
    expect(await codeOf(promote({ id: candidateId, actorId: adminId, overrideGate: true }))).toBe(
      "BAD_REQUEST",
    );
    expect(await statusOf(candidateId)).toBe("CANDIDATE");

    const change = await promote({
      id: candidateId,
      actorId: adminId,
      overrideGate: true,
      reason: "read every case",
    });
    expect(change.champion.id).toBe(candidateId);
    const audit = await svc.db.auditEvent.findFirstOrThrow({
      where: { action: "model.promoted", entityId: candidateId },
    });
    expect(audit).toMatchObject({ actorId: adminId, reason: "read every case" });
    expect(audit.after).toMatchObject({ status: "CHAMPION", gateOverridden: true });

    // the former champion is RETIRED now: promotion refuses it (rollback is the way back)
    const retiredId = change.retired!;
    expect(await codeOf(promote({ id: retiredId, actorId: adminId, overrideGate: true, reason: "x" }))).toBe(
      "CONFLICT",
    );
    const rejectedId = await registerFakeModel(svc.db, svc.modelsDir, "to-reject");
    await client.models.reject.mutate({ id: rejectedId, actorId: adminId, reason: "bad" });
    expect(await codeOf(promote({ id: rejectedId, actorId: adminId, overrideGate: true, reason: "x" }))).toBe(
      "CONFLICT",
    );
    expect(await statusOf(rejectedId)).toBe("REJECTED");
  });

  it("keeps one abort listener on the progress stream's signal however long it polls", async () => {
    const run = await svc.db.trainingRun.create({
      data: {
        labelSetId,
        architecture: "COMPACT_CNN",
        params: {},
        epochs: 5,
        status: "RUNNING",
        heartbeatAt: new Date(),
      },
    });
    const controller = new AbortController();
    const seen: string[] = [];
    const consumed = (async () => {
      for await (const view of followTraining(svc.db, { id: run.id, intervalMs: 5 }, controller.signal))
        seen.push(view.status);
    })();
    await new Promise((r) => setTimeout(r, 400)); // dozens of polls
    expect(getEventListeners(controller.signal, "abort").length).toBeLessThanOrEqual(1);
    controller.abort();
    await consumed;
    expect(seen).toEqual(["RUNNING"]);
    await svc.db.trainingRun.update({ where: { id: run.id }, data: { status: "CANCELLED" } });
  });
});
