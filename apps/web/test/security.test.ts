// The web app's browser-facing protections: the security headers every response carries (next.config.ts) and
// the upload's refusal of cross-site posts. (The browser tests check the same headers on live responses.)
import { beforeAll, describe, expect, it } from "vitest";
import config from "../next.config";
import { isSameOriginRequest } from "~/server/auth/origin";
import { stubAppEnv } from "./env";

beforeAll(() => stubAppEnv({ NEXTAUTH_URL: "https://cxr.hospital.example" }));

describe("security headers", () => {
  it("sets CSP, framing, sniffing and referrer rules on every path, HSTS only over https", async () => {
    const rules = await config.headers!();
    const all = rules.find((r) => r.source === "/:path*" && !r.has);
    const headers = new Map(all?.headers.map((h) => [h.key, h.value]));
    const csp = headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("img-src 'self' blob: data:");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toMatch(/script-src 'self' 'unsafe-inline'(;|$)/); // no eval outside development
    expect(headers.get("X-Frame-Options")).toBe("DENY");
    expect(headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(headers.get("Referrer-Policy")).toBe("same-origin");
    expect(headers.has("Strict-Transport-Security")).toBe(false);

    const https = rules.find((r) => r.has?.some((h) => h.key === "x-forwarded-proto"));
    expect(https?.has).toEqual([{ type: "header", key: "x-forwarded-proto", value: "https" }]);
    expect(https?.headers).toEqual([
      { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" },
    ]);
  });
});

const post = (headers: Record<string, string>) =>
  new Request("http://localhost:3000/api/upload", {
    method: "POST",
    headers: { host: "localhost:3000", ...headers },
  });

describe("isSameOriginRequest", () => {
  it("refuses another site's page, and accepts this site's pages and non-browser clients", () => {
    expect(isSameOriginRequest(post({ origin: "https://evil.example" }))).toBe(false);
    expect(isSameOriginRequest(post({ origin: "null" }))).toBe(false);
    expect(isSameOriginRequest(post({ "sec-fetch-site": "cross-site" }))).toBe(false);
    expect(
      isSameOriginRequest(post({ origin: "http://localhost:3000", "sec-fetch-site": "same-origin" })),
    ).toBe(true);
    expect(isSameOriginRequest(post({}))).toBe(true);
    // behind a proxy: the public origin, or the forwarded host
    expect(
      isSameOriginRequest(post({ origin: "https://cxr.hospital.example" }), "https://cxr.hospital.example/"),
    ).toBe(true);
    expect(
      isSameOriginRequest(
        post({ origin: "https://cxr.hospital.example", "x-forwarded-host": "cxr.hospital.example" }),
      ),
    ).toBe(true);
  });
});

describe("POST /api/upload", () => {
  it("answers a cross-site post with 403 before reading it or the session", async () => {
    const { POST } = await import("~/app/api/upload/route");
    const res = await POST(
      new Request("https://cxr.hospital.example/api/upload", {
        method: "POST",
        headers: {
          host: "cxr.hospital.example",
          origin: "https://evil.example",
          "content-type": "image/png",
        },
        body: new Uint8Array([1, 2, 3]),
      }),
    );
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/this site's own pages/);
  });
});
