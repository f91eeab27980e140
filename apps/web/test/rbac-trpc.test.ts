// RBAC matrix of the web API: every tRPC procedure x {signed out, deactivated admin, each role}, through the
// real caller on a real database. The table is keyed on the router's own procedure paths: a procedure without
// an entry is a type error here, and the runtime check below fails too.
import { createTestDatabase, type TestDatabase } from "@cxr/db/testing";
import { roles, type Role } from "@cxr/domain";
import { type ProcedurePath } from "@cxr/domain/trpc";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appRouter, type AppRouter } from "~/server/api/root";
import { callerAs, codeOf, seedUsers, sessionFor } from "./helpers";
import { blankDraft } from "./review-fixtures";

type WebProcedure = ProcedurePath<AppRouter["_def"]["record"]>;

/** who may call it, as the procedure declares it (protectedProcedure: any active account; roleProcedure(...)) */
type Access = "any-role" | readonly Role[];

const readers = ["ADMIN", "RADIOLOGIST"] as const;
/** the review workspace: annotators too, on their assigned images (review-annotators.test.ts) */
const taskers = ["ADMIN", "RADIOLOGIST", "ANNOTATOR"] as const;
const nowhere = "rbac-no-such-id";
const draft = blankDraft();

// minimal valid inputs: an allowed caller may get NOT_FOUND/BAD_REQUEST for the dummy ids, never an auth error
const matrix: Record<WebProcedure, { access: Access; input?: unknown }> = {
  "admin.users.list": { access: ["ADMIN"] },
  "admin.signIn.lockouts": { access: ["ADMIN"] },
  "admin.signIn.lift": { access: ["ADMIN"], input: { kind: "ACCOUNT", subject: "nobody@cxr.local" } },
  "imports.list": { access: readers, input: { limit: 1 } },
  "imports.report": { access: readers, input: { jobId: nowhere } },
  "imports.summary": { access: readers },
  "me.get": { access: "any-role" },
  "models.list": { access: readers },
  "models.get": { access: readers, input: { id: nowhere } },
  "models.promote": { access: ["ADMIN"], input: { id: nowhere, reason: "rbac matrix" } },
  "models.rollback": { access: ["ADMIN"], input: { id: nowhere, reason: "rbac matrix" } },
  "models.reject": { access: ["ADMIN"], input: { id: nowhere, reason: "rbac matrix" } },
  "review.queue": { access: taskers, input: { limit: 1 } },
  "review.modelVersions": { access: readers },
  "review.case": { access: taskers, input: { imageId: nowhere } },
  "review.startAssignment": { access: taskers, input: { assignmentId: nowhere } },
  "review.draft": { access: taskers, input: { imageId: nowhere } },
  "review.saveDraft": { access: taskers, input: { imageId: nowhere, draft } },
  "review.deleteDraft": { access: taskers, input: { imageId: nowhere } },
  "review.release": { access: taskers, input: { imageId: nowhere } },
  "review.submit": {
    access: taskers,
    input: {
      imageId: nowhere,
      labelSetId: nowhere,
      baseReadId: null,
      classId: nowhere,
      predictionId: null,
      durationMs: 0,
    },
  },
  "system.status": { access: "any-role" },
  "models.rescoreProgress": { access: readers, input: { labelSet: "cxr-4class" } },
  "training.preview": { access: ["ADMIN"], input: { labelSet: "cxr-4class" } },
  "training.start": { access: ["ADMIN"], input: { labelSet: "rbac-no-such-set" } },
  "training.cancel": { access: ["ADMIN"], input: { id: nowhere } },
  "training.list": { access: readers, input: {} },
  "training.progress": { access: readers, input: { id: nowhere } },
  "training.policy": { access: readers, input: { labelSet: "cxr-4class" } },
  "training.setPolicy": {
    access: ["ADMIN"],
    input: {
      labelSet: "cxr-4class",
      enabled: true,
      threshold: 5,
      mode: "HEAD_ONLY",
      architecture: "compact",
      epochs: 2,
    },
  },
  "audit.confusion": { access: readers, input: { modelVersionId: nowhere } },
  "audit.thresholds": { access: readers, input: { modelVersionId: nowhere } },
  "audit.compare": { access: readers, input: { modelVersionId: nowhere, baselineId: nowhere } },
  "history.image": { access: readers, input: { imageId: nowhere } },
  "history.auditLog": { access: ["ADMIN"], input: { limit: 1 } },
  "exports.labels": { access: readers, input: { format: "csv" } },
  "exports.coco": { access: readers, input: {} },
  "exports.auditLog": { access: ["ADMIN"], input: {} },
  "exports.importCoco": { access: ["ADMIN"], input: { labelSetName: "cxr-4class", coco: {} } },
  "backbones.list": { access: ["ADMIN"] },
  "adjudication.queue": { access: readers },
  "adjudication.get": { access: readers, input: { id: nowhere } },
  "adjudication.decide": {
    access: readers,
    input: { adjudicationId: nowhere, classId: nowhere, rationale: "rbac matrix" },
  },
  "campaigns.agreement": { access: ["ADMIN"], input: { campaignId: nowhere } },
  "campaigns.agreementCsv": { access: ["ADMIN"], input: { campaignId: nowhere } },
  "admin.users.create": {
    access: ["ADMIN"],
    input: { email: "rbac-created@cxr.local", name: "RBAC Created", role: "ANNOTATOR" },
  },
  "admin.users.setRole": { access: ["ADMIN"], input: { userId: nowhere, role: "ANNOTATOR" } },
  "admin.users.setActive": { access: ["ADMIN"], input: { userId: nowhere, active: false } },
  "admin.users.resetPassword": { access: ["ADMIN"], input: { userId: nowhere } },
  "labelSets.list": { access: ["ADMIN"] },
  "labelSets.create": {
    access: ["ADMIN"],
    input: {
      name: "rbac-set",
      classes: [
        { key: "a", name: "A", color: "#112233" },
        { key: "b", name: "B", color: "#445566" },
      ],
    },
  },
  "labelSets.addClass": {
    access: ["ADMIN"],
    input: { labelSetId: nowhere, class: { key: "c", name: "C", color: "#778899" } },
  },
  "labelSets.updateClass": { access: ["ADMIN"], input: { classId: nowhere, retired: true } },
  "labelSets.reorder": { access: ["ADMIN"], input: { labelSetId: nowhere, classIds: [nowhere] } },
  "campaigns.list": { access: ["ADMIN"] },
  "campaigns.get": { access: ["ADMIN"], input: { id: nowhere } },
  "campaigns.options": { access: ["ADMIN"] },
  "campaigns.count": { access: ["ADMIN"], input: { labelSetId: nowhere, selection: {} } },
  "campaigns.create": {
    access: ["ADMIN"],
    input: {
      name: "rbac campaign",
      labelSetId: nowhere,
      task: "CLASSIFY",
      readerIds: [nowhere],
      readsPerImage: 1,
      blinded: true,
      strategy: "FIFO",
      consensusRule: "MAJORITY",
      selection: {},
    },
  },
  "campaigns.setStatus": { access: ["ADMIN"], input: { id: nowhere, action: "pause" } },
  "campaigns.addReaders": { access: ["ADMIN"], input: { id: nowhere, userIds: [nowhere] } },
  "campaigns.addImages": { access: ["ADMIN"], input: { id: nowhere, selection: {} } },
  "campaigns.addAdjudicators": { access: ["ADMIN"], input: { id: nowhere, userIds: [nowhere] } },
  "exports.modelCard": { access: readers, input: { modelVersionId: nowhere, format: "md" } },
  "audit.camRoi": { access: readers, input: { modelVersionId: nowhere } },
  "review.explainMap": {
    access: taskers,
    input: { imageId: nowhere, modelVersionId: nowhere, classId: nowhere, method: "GUIDED_GRADCAM" },
  },
  "exports.masks": { access: readers, input: {} },
  "exports.dicomSr": { access: readers, input: { imageId: nowhere } },
  "exports.dicomSeg": { access: readers, input: { imageId: nowhere } },
  "exports.pushToPacs": { access: readers, input: { imageId: nowhere } },
  "campaigns.readerStudy": { access: ["ADMIN"], input: { campaignId: nowhere } },
  "campaigns.readerStudyCsv": { access: ["ADMIN"], input: { campaignId: nowhere } },
};

let t: TestDatabase;
let sessions: Record<Role | "deactivated", ReturnType<typeof sessionFor>>;

beforeAll(async () => {
  // system.status asks the inference service: nothing listens on the discard port, so it answers "down"
  process.env.INFERENCE_URL = "http://127.0.0.1:9";
  process.env.INFERENCE_TOKEN = "rbac-test-token-0123456789";
  process.env.NEXTAUTH_SECRET ??= "rbac-test-secret-0123456789";
  t = await createTestDatabase(inject("testDatabaseAdminUrl"));
  process.env.DATABASE_URL ??= t.url;
  const users = await seedUsers(t.db);
  const former = await t.db.user.create({
    data: { email: "former-admin@cxr.local", name: "Former Admin", role: "ADMIN", active: false },
  });
  sessions = {
    ADMIN: sessionFor(users.admin),
    RADIOLOGIST: sessionFor(users.radiologist),
    ANNOTATOR: sessionFor(users.annotator),
    deactivated: sessionFor(former),
  };
});
afterAll(() => t.close());

/** The procedure at a dotted path on a caller (the caller is a proxy: each segment is a property). */
function procedureAt(caller: object, path: string): (input: unknown) => Promise<unknown> {
  const found: unknown = path
    .split(".")
    .reduce<unknown>((node, key) => Reflect.get(node as object, key), caller);
  if (typeof found !== "function") throw new Error(`no procedure at ${path}`);
  return found as (input: unknown) => Promise<unknown>;
}

const outcome = (session: ReturnType<typeof sessionFor> | null, path: WebProcedure) =>
  codeOf(procedureAt(callerAs(t.db, session), path)(matrix[path].input));

const authErrors = ["UNAUTHORIZED", "FORBIDDEN"];
const paths = Object.keys(matrix) as WebProcedure[];

describe("the matrix", () => {
  it("names exactly the router's procedures", () => {
    expect(Object.keys(appRouter._def.procedures).sort()).toEqual([...paths].sort());
  });
});

describe.each(paths)("%s", (path) => {
  const { access } = matrix[path];

  it("is UNAUTHORIZED signed out", async () => {
    expect(await outcome(null, path)).toBe("UNAUTHORIZED");
  });

  it("is UNAUTHORIZED to a deactivated admin with a valid session", async () => {
    expect(await outcome(sessions.deactivated, path)).toBe("UNAUTHORIZED");
  });

  it.each(roles)("%s: allowed or FORBIDDEN as declared", async (role) => {
    const code = await outcome(sessions[role], path);
    if (access === "any-role" || access.includes(role)) expect(authErrors).not.toContain(code);
    else expect(code).toBe("FORBIDDEN");
  });
});
