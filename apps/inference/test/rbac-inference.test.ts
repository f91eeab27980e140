// RBAC matrix of the inference service: every procedure over real HTTP x {no token, wrong token, the token},
// and for a procedure that acts for a person, the token x {each role, a deactivated admin, an unknown id} as
// that person. The table is keyed on the router's procedure paths: a procedure without an entry is a type
// error here, and the runtime check below fails too.
import { roles, type Role } from "@cxr/domain";
import { type ProcedurePath } from "@cxr/domain/trpc";
import { trpcPath, type InferenceRouter } from "@cxr/inference-api";
import { inferenceRouter } from "@cxr/inference-api/server";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { startTestService, TOKEN, type TestService } from "./fixtures/service";

type InferenceProcedure = ProcedurePath<InferenceRouter["_def"]["record"]>;

/** the input field naming the person the caller acts for; the service requires an active ADMIN there */
type ActorField = "actorId" | "startedById";

const nowhere = "rbac-no-such-id";
// minimal valid inputs: an authorised call may get NOT_FOUND/PRECONDITION_FAILED for the dummy ids
const matrix: Record<InferenceProcedure, { input?: Record<string, unknown>; actor?: ActorField }> = {
  "system.info": {},
  "system.echo": { input: { message: "rbac" } },
  predict: { input: { imageIds: [nowhere], wait: false } },
  explain: { input: { imageId: nowhere, classKey: "normal", wait: false } },
  "queue.queuePending": { input: { modelVersionId: nowhere } },
  "models.list": { input: {} },
  "models.get": { input: { id: nowhere } },
  "models.promote": { input: { id: nowhere }, actor: "actorId" },
  "models.rollback": { input: { labelSet: "rbac-no-such-set" }, actor: "actorId" },
  "models.reject": { input: { id: nowhere }, actor: "actorId" },
  // an unknown label set: an admin's call gets NOT_FOUND instead of queueing a real run
  "training.start": { input: { labelSet: "rbac-no-such-set" }, actor: "startedById" },
  "training.cancel": { input: { id: nowhere }, actor: "actorId" },
  "training.list": { input: {} },
  "training.progress": { input: { id: nowhere } },
  "training.preview": { input: { labelSet: "rbac-no-such-set" } },
  "models.rescoreProgress": { input: { labelSet: "rbac-no-such-set" } },
  "policy.get": { input: { labelSet: "rbac-no-such-set" } },
  "policy.set": {
    input: {
      labelSet: "rbac-no-such-set",
      enabled: true,
      threshold: 5,
      mode: "HEAD_ONLY",
      architecture: "compact",
      epochs: 2,
    },
    actor: "actorId",
  },
  "backbones.list": { input: {} },
  // an object key nobody stored: an admin's call gets NOT_FOUND
  "backbones.register": {
    input: { architecture: "vgg16", sourceFile: "rbac.h5", objectKey: "0".repeat(64) },
    actor: "actorId",
  },
};

const authErrors = ["UNAUTHORIZED", "FORBIDDEN"];

let svc: TestService;
let actors: Record<Role | "deactivated" | "unknown", string>;

beforeAll(async () => {
  svc = await startTestService(inject("testDatabaseAdminUrl"));
  const user = (role: Role, email: string, active = true) =>
    svc.db.user.create({ data: { email, name: email, role, active } }).then((u) => u.id);
  actors = {
    ADMIN: await user("ADMIN", "admin@rbac.test"),
    RADIOLOGIST: await user("RADIOLOGIST", "radiologist@rbac.test"),
    ANNOTATOR: await user("ANNOTATOR", "annotator@rbac.test"),
    deactivated: await user("ADMIN", "former-admin@rbac.test", false),
    unknown: "rbac-no-such-user",
  };
});
afterAll(() => svc?.stop());

// _def.procedures is the router's flat record by dotted path at run time (its static type is the nested one);
// each procedure is a function carrying its _def
const procedureDef = z.object({ type: z.enum(["query", "mutation", "subscription"]) });
function procedureType(path: InferenceProcedure) {
  const procedure: unknown = Reflect.get(inferenceRouter._def.procedures, path);
  return procedureDef.parse(typeof procedure === "function" ? Reflect.get(procedure, "_def") : undefined)
    .type;
}

/**
 * One call over HTTP as tRPC's own client sends it (superjson envelope; a query or subscription by GET, a
 * mutation by POST). Returns the tRPC error code the answer names, or "OK". A subscription's stream is read
 * until its first event: an error thrown while streaming arrives as an event too.
 */
async function call(path: InferenceProcedure, input: unknown, token: string | null): Promise<string> {
  const type = procedureType(path);
  const url = new URL(`${svc.url}${trpcPath}/${path}`);
  const body = JSON.stringify({ json: input });
  if (type !== "mutation" && input !== undefined) url.searchParams.set("input", body);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (type === "subscription") headers.accept = "text/event-stream";
  // a stream that never sends an event fails the test by timeout rather than passing as "OK"
  const abort = new AbortController();
  const res = await fetch(url, {
    method: type === "mutation" ? "POST" : "GET",
    headers,
    body: type === "mutation" ? body : undefined,
    signal: abort.signal,
  });
  let text = "";
  const reader = res.body?.getReader();
  const decoder = new TextDecoder();
  while (reader) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
    if (type === "subscription" && firstEvent(text)) break;
  }
  abort.abort();
  return /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? (res.ok ? "OK" : `HTTP ${res.status}`);
}

/** whether a server-sent event stream holds a complete event past tRPC's own "connected" one */
const firstEvent = (text: string) =>
  text
    .split("\n\n")
    .slice(0, -1)
    .some((event) => event.trim() !== "" && !event.trim().startsWith("event: connected"));

const paths = Object.keys(matrix) as InferenceProcedure[];

describe.each(paths)("%s", (path) => {
  const { input, actor } = matrix[path];
  // the actors exist once beforeAll has run, so the inputs naming them are built inside the tests
  const as = (who: keyof typeof actors) => (actor ? { ...input, [actor]: actors[who] } : input);

  it("is UNAUTHORIZED without a token", async () => {
    expect(await call(path, as("ADMIN"), null)).toBe("UNAUTHORIZED");
  });

  it("is UNAUTHORIZED with a wrong token", async () => {
    expect(await call(path, as("ADMIN"), `${TOKEN}-wrong`)).toBe("UNAUTHORIZED");
  });

  it("passes the token check with the token", async () => {
    expect(authErrors).not.toContain(await call(path, as("ADMIN"), TOKEN));
  });

  if (!actor) return;

  it.each(roles)("as a %s actor: only ADMIN is allowed", async (role) => {
    const code = await call(path, as(role), TOKEN);
    if (role === "ADMIN") expect(authErrors).not.toContain(code);
    else expect(code).toBe("FORBIDDEN");
  });

  it("is UNAUTHORIZED for a deactivated admin or an unknown actor", async () => {
    expect(await call(path, as("deactivated"), TOKEN)).toBe("UNAUTHORIZED");
    expect(await call(path, as("unknown"), TOKEN)).toBe("UNAUTHORIZED");
  });
});

// a procedure added to the router without an entry above fails here too (and is a type error there)
it("the matrix names exactly the router's procedures", () => {
  expect(Object.keys(inferenceRouter._def.procedures).sort()).toEqual([...paths].sort());
});
