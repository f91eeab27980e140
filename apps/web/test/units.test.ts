import { describe, expect, it } from "vitest";
import { canVisit, navItemsFor, roleHome, safeCallbackPath } from "~/lib/roles";
import { signInErrorMessage } from "~/app/signin/messages";
import { checkHealth } from "~/server/services/health";
import { inferenceStatus, type InferenceInfoSource } from "~/server/services/system";

describe("roles", () => {
  it("send each role home and keep it out of the others' sections; ADMIN goes everywhere", () => {
    expect(roleHome).toEqual({ ADMIN: "/admin", RADIOLOGIST: "/worklist", ANNOTATOR: "/tasks" });
    expect(canVisit("RADIOLOGIST", "/worklist")).toBe(true);
    expect(canVisit("RADIOLOGIST", "/admin")).toBe(false);
    expect(canVisit("RADIOLOGIST", "/tasks/42")).toBe(false);
    expect(canVisit("ANNOTATOR", "/worklist")).toBe(false);
    for (const path of ["/admin", "/worklist", "/tasks"]) expect(canVisit("ADMIN", path)).toBe(true);
    expect(navItemsFor("ANNOTATOR").map((i) => i.href)).toEqual(["/tasks"]);
    expect(navItemsFor("ADMIN")).toHaveLength(12);
    expect(navItemsFor("RADIOLOGIST").map((i) => i.href)).toEqual([
      "/worklist",
      "/review",
      "/upload",
      "/imports",
      "/models",
      "/training",
      "/audit",
      "/adjudication",
    ]);
    // annotators read in the workspace from /tasks; adjudicators are readers
    expect(canVisit("ANNOTATOR", "/tasks/read")).toBe(true);
    expect(canVisit("ANNOTATOR", "/adjudication")).toBe(false);
    expect(canVisit("ANNOTATOR", "/review")).toBe(false);
    expect(canVisit("ANNOTATOR", "/models")).toBe(false);
    expect(canVisit("ANNOTATOR", "/training/some-run")).toBe(false);
    expect(canVisit("RADIOLOGIST", "/audit")).toBe(true);
    expect(canVisit("RADIOLOGIST", "/audit-log")).toBe(false);
    expect(canVisit("ANNOTATOR", "/audit")).toBe(false);
    expect(canVisit("ANNOTATOR", "/upload")).toBe(false);
    expect(canVisit("ANNOTATOR", "/imports")).toBe(false);
  });

  it("keep only same-origin paths from a callbackUrl", () => {
    expect(safeCallbackPath("/worklist?x=1")).toBe("/worklist?x=1");
    expect(safeCallbackPath("http://localhost:3100/tasks")).toBe("/tasks");
    expect(safeCallbackPath("https://evil.example/admin")).toBe("/admin");
    expect(safeCallbackPath("//evil.example")).toBeNull();
    expect(safeCallbackPath("/signin")).toBeNull();
    expect(safeCallbackPath(undefined)).toBeNull();
  });
});

describe("sign-in messages", () => {
  it("say exactly what a wrong password means", () => {
    expect(signInErrorMessage("CredentialsSignin")).toBe("Wrong e-mail or password.");
    expect(signInErrorMessage(undefined)).toBeNull();
  });
});

describe("checkHealth", () => {
  it("is ok only when both parts answer, and bounds a hung check", async () => {
    const up = () => Promise.resolve();
    const hang = () => new Promise(() => {});
    expect(await checkHealth({ db: up, inference: up })).toEqual({ ok: true, db: "up", inference: "up" });
    expect(await checkHealth({ db: hang, inference: up }, 50)).toEqual({
      ok: false,
      db: "down",
      inference: "up",
    });
    const thrower = () => {
      throw new Error("no DATABASE_URL");
    };
    expect(await checkHealth({ db: up, inference: thrower })).toEqual({
      ok: false,
      db: "up",
      inference: "down",
    });
  });
});

describe("inferenceStatus", () => {
  const fake = (query: () => Promise<unknown>): InferenceInfoSource => ({ system: { info: { query } } });

  it("reports the backend and version", async () => {
    const status = await inferenceStatus(
      fake(async () => ({
        service: "inference",
        version: "0.1.0",
        backend: "wasm",
        provider: "tfjs",
        uptimeSeconds: 3,
        numTensors: 0,
      })),
    );
    expect(status).toEqual({ up: true, backend: "wasm", version: "0.1.0" });
  });

  it("reports an unreachable service or an unexpected answer as down", async () => {
    const down = await inferenceStatus(fake(() => Promise.reject(new Error("fetch failed"))));
    expect(down).toEqual({ up: false, error: "Inference service unavailable (fetch failed)" });
    const odd = await inferenceStatus(fake(async () => ({ hello: 1 })));
    expect(odd.up).toBe(false);
  });
});
