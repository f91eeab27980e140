// RBAC matrix of the route handlers on the live app: every handler under src/app/api (found in the file tree,
// so a new route.ts or method without an entry fails) x {signed out, a deactivated admin, each role}, over
// real HTTP with real next-auth session cookies from the credentials sign-in.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { hashPassword } from "@cxr/auth";
import { type Db } from "@cxr/db";
import { roles, type Role } from "@cxr/domain";
import { createReviewFixture } from "../test/review-fixtures";
import { account } from "./fixtures";
import { stackHandles } from "./review-stack";
import { apiSession } from "./session";

const apiDir = fileURLToPath(new URL("../src/app/api", import.meta.url));

/** "METHOD /api/path/[param]" for every exported handler of every route.ts under src/app/api */
function handlersInTree(dir = apiDir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return handlersInTree(full);
    if (entry.name !== "route.ts") return [];
    const route = `/api/${path.relative(apiDir, dir).split(path.sep).join("/")}`;
    const source = readFileSync(full, "utf8");
    const methods = new Set([
      ...[
        ...source.matchAll(/export\s+(?:async\s+)?function\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g),
      ].map((m) => m[1]!),
      ...[...source.matchAll(/\bas\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)].map((m) => m[1]!),
    ]);
    return [...methods].map((method) => `${method} ${route}`);
  });
}

type Principal = "anonymous" | "deactivated" | Role;
const principals: Principal[] = ["anonymous", "deactivated", ...roles];

interface Fixture {
  imageId: string;
  mapId: string;
}

interface Entry {
  /** public: anyone, signed in or not; else only active accounts of these roles */
  access: "public" | readonly Role[];
  call: (api: APIRequestContext, fx: Fixture) => Promise<{ status(): number }>;
}

const trpcPost = (api: APIRequestContext, procedure: string, input: unknown) =>
  api.post(`/api/trpc/${procedure}`, { data: { json: input } });
const baseURL = () => test.info().project.use.baseURL!;

const matrix: Record<string, Entry> = {
  "GET /api/health": { access: "public", call: (api) => api.get("/api/health") },
  "GET /api/auth/[...nextauth]": { access: "public", call: (api) => api.get("/api/auth/session") },
  // a session refresh (next-auth's POST on /session, with its CSRF token): harmless, and public by design
  "POST /api/auth/[...nextauth]": {
    access: "public",
    call: async (api) => {
      const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
      return api.post("/api/auth/session", { form: { csrfToken } });
    },
  },
  // one admin-only query by GET, one readers' mutation by POST
  "GET /api/trpc/[trpc]": { access: ["ADMIN"], call: (api) => api.get("/api/trpc/admin.users.list") },
  "POST /api/trpc/[trpc]": {
    // an adjudication's decision: readers' (annotators now use the review API for their own assignments)
    access: ["ADMIN", "RADIOLOGIST"],
    call: (api, fx) =>
      trpcPost(api, "adjudication.decide", {
        adjudicationId: fx.imageId,
        classId: fx.imageId,
        rationale: "rbac route probe",
      }),
  },
  "POST /api/upload": {
    access: ["ADMIN", "RADIOLOGIST"],
    call: (api) =>
      api.post("/api/upload", {
        headers: { origin: new URL(baseURL()).origin },
        multipart: { files: { name: "rbac.png", mimeType: "image/png", buffer: Buffer.from([1, 2, 3]) } },
      }),
  },
  // a file that is not HDF5: an admin gets 400, before anything is stored
  "POST /api/backbones": {
    access: ["ADMIN"],
    call: (api) =>
      api.post("/api/backbones?architecture=vgg16", {
        headers: { origin: new URL(baseURL()).origin },
        multipart: {
          file: { name: "rbac.h5", mimeType: "application/x-hdf5", buffer: Buffer.from([1, 2, 3]) },
        },
      }),
  },
  // an annotator sees only the images of their own assignments (none here)
  "GET /api/objects/images/[imageId]/[kind]": {
    access: ["ADMIN", "RADIOLOGIST"],
    call: (api, fx) => api.get(`/api/objects/images/${fx.imageId}/preview`),
  },
  "GET /api/objects/gradcam/[mapId]": {
    access: ["ADMIN", "RADIOLOGIST"],
    call: (api, fx) => api.get(`/api/objects/gradcam/${fx.mapId}`),
  },
  // one handler for every download; the audit log's (ADMIN only) is checked in audit.spec.ts
  "GET /api/exports/[file]": {
    access: ["ADMIN", "RADIOLOGIST"],
    call: (api) => api.get("/api/exports/labels.csv?scope=reviewed"),
  },
};

test.describe("route handlers x principals", () => {
  let db: Db | undefined;
  let fx: Fixture;
  const apis = new Map<Principal, APIRequestContext>();

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    const handles = await stackHandles();
    db = handles.db;
    const tag = `e2e-rbac-${Date.now()}`;
    const made = await createReviewFixture(db, handles.storage, { count: 1, size: 32, tag });
    const imageId = made.imageIds[0]!;
    const map = await db.gradCamMap.findFirstOrThrow({ where: { prediction: { imageId } } });
    fx = { imageId, mapId: map.id };

    apis.set("anonymous", await apiSession(baseURL(), null));
    for (const role of roles)
      apis.set(role, await apiSession(baseURL(), account(role).email, account(role).password));
    // a session issued while the account was active, used after an admin deactivated it
    const email = `former-admin-${tag}@cxr.local`;
    const password = "rbac-former-admin-password";
    const former = await db.user.create({
      data: { email, name: "Former Admin", role: "ADMIN", passwordHash: await hashPassword(password) },
    });
    apis.set("deactivated", await apiSession(baseURL(), email, password));
    await db.user.update({ where: { id: former.id }, data: { active: false } });
  });

  test.afterAll(async () => {
    for (const api of apis.values()) await api.dispose();
    await db?.$disconnect();
  });

  test("the matrix names exactly the handlers in src/app/api", () => {
    expect(handlersInTree().sort()).toEqual(Object.keys(matrix).sort());
  });

  for (const [handler, entry] of Object.entries(matrix)) {
    test(handler, async () => {
      const seen: Record<string, number> = {};
      for (const who of principals) seen[who] = (await entry.call(apis.get(who)!, fx)).status();
      const expected: Record<string, string> = {};
      const actual: Record<string, string> = {};
      for (const who of principals) {
        const status = seen[who]!;
        const allowed =
          entry.access === "public" ||
          (who !== "anonymous" && who !== "deactivated" && entry.access.includes(who));
        expected[who] = allowed ? "allowed" : who === "anonymous" || who === "deactivated" ? "401" : "403";
        // allowed: any answer but an auth refusal or a server error (a dummy input may be a 4xx)
        actual[who] = allowed
          ? status !== 401 && status !== 403 && status < 500
            ? "allowed"
            : String(status)
          : String(status);
      }
      expect(actual, JSON.stringify(seen)).toEqual(expected);
    });
  }
});
