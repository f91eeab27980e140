import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInferenceClient } from "@cxr/inference-api/client";
import { failure, startServer, TOKEN } from "./helpers";

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe("inference HTTP server", () => {
  it("answers /health without a token", async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = (await res.json()) as { ok: boolean; backend: string };
    expect(body.ok).toBe(true);
    expect(["cpu", "wasm"]).toContain(body.backend);
  });

  it("refuses a query without an Authorization header with HTTP 401 and no stack", async () => {
    const res = await fetch(`${server.url}/trpc/system.info`);
    expect(res.status).toBe(401);
    const text = await res.text();
    expect(text).toContain("UNAUTHORIZED");
    expect(text).not.toContain("stack");
    expect(text).not.toContain(TOKEN);
  });

  it("refuses a wrong token, including one that differs only in length", async () => {
    for (const token of ["wrong-token-0123456789abcdef", `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      const res = await fetch(`${server.url}/trpc/system.info`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(401);
    }
    const error = await failure(
      createInferenceClient({ url: server.url, token: "x".repeat(20) }).system.info.query(),
    );
    expect(error.data?.code).toBe("UNAUTHORIZED");
    expect(error.data?.httpStatus).toBe(401);
  });

  it("returns system.info to a caller with the right token", async () => {
    const client = createInferenceClient({ url: server.url, token: TOKEN });
    const info = await client.system.info.query();
    expect(info).toMatchObject({
      service: "inference",
      version: "0.1.0",
      backend: "cpu",
      provider: "@tensorflow/tfjs",
    });
    expect(info.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(info.numTensors)).toBe(true);
    // the plain HTTP path agrees (also proves the bearer header, not the client, is what authorises)
    const res = await fetch(`${server.url}/trpc/system.info`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
  });

  it("authenticates mutations too", async () => {
    const res = await fetch(`${server.url}/trpc/system.echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { message: "hi" } }),
    });
    expect(res.status).toBe(401);
    const anonymous = await failure(
      createInferenceClient({ url: server.url, token: "" }).system.echo.mutate({ message: "hi" }),
    );
    expect(anonymous.data?.httpStatus).toBe(401);
    const client = createInferenceClient({ url: server.url, token: TOKEN });
    await expect(client.system.echo.mutate({ message: "hi" })).resolves.toEqual({ message: "hi" });
  });

  it("limits request bodies", async () => {
    const res = await fetch(`${server.url}/trpc/system.echo`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ json: { message: "a".repeat(2 * 1024 * 1024) } }),
    });
    expect(res.status).toBe(413);
  });

  it("answers unknown paths with a JSON 404", async () => {
    for (const path of ["/", "/nope", "/healthz", "/trpc"]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ error: "Not found" });
    }
  });
});
