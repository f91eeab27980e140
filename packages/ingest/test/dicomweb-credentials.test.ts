// A PACS URL with user:pass: the credentials go as a Basic Authorization header and appear in no stored job,
// item message, job error or CLI output. The PACS is a loopback HTTP server that requires those credentials
// and fails the instance download, so an error quoting the URL is recorded.
import { execFile } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TAG } from "../src/dicomweb/dicom-json";
import { pullFromDicomweb } from "../src/dicomweb/pull";
import { jobReport } from "../src/jobs";
import { credentialsFromUrl, redactUrl } from "../src/redact-url";
import { setUp, type TestEnv } from "./helpers";

const PASSWORD = "pw-9f3k@x"; // with an "@" that only percent-encoding keeps in the URL
const STUDY = "1.2.826.0.1.3680043.8.498.1";
let env: TestEnv;
let pacs: Server;
let base: string;
let withCredentials: string;
const seen: (string | undefined)[] = [];

function authorized(req: IncomingMessage): boolean {
  seen.push(req.headers.authorization);
  const expected = `Basic ${Buffer.from(`reader:${PASSWORD}`).toString("base64")}`;
  return req.headers.authorization === expected;
}

beforeAll(async () => {
  env = await setUp();
  pacs = createServer((req, res) => {
    if (!authorized(req)) return void res.writeHead(401).end("who are you?");
    const url = new URL(req.url ?? "/", "http://x");
    res.setHeader("Content-Type", "application/dicom+json");
    if (url.pathname === "/dicom-web/studies")
      return void res.end(JSON.stringify([{ [TAG.StudyInstanceUID]: { vr: "UI", Value: [STUDY] } }]));
    if (url.pathname === `/dicom-web/studies/${STUDY}/instances`)
      return void res.end(
        JSON.stringify([
          {
            [TAG.SeriesInstanceUID]: { vr: "UI", Value: ["1.2.3"] },
            [TAG.SOPInstanceUID]: { vr: "UI", Value: ["1.2.3.4"] },
          },
        ]),
      );
    res.writeHead(500).end("disk on fire");
  });
  await new Promise<void>((resolve) => pacs.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(pacs.address() as AddressInfo).port}/dicom-web`;
  withCredentials = base.replace("//", `//reader:${encodeURIComponent(PASSWORD)}@`);
});
afterAll(async () => {
  await new Promise((r) => pacs?.close(r));
  await env?.close();
});

describe("DICOMweb credentials", () => {
  it("redactUrl drops user:pass from URLs and from messages quoting them", () => {
    expect(redactUrl("http://u:p@h/x")).toBe("http://h/x");
    expect(redactUrl("/data/x")).toBe("/data/x");
    expect(redactUrl("GET https://u:p@ss@pacs:8042/dicom-web/studies answered 500")).toBe(
      "GET https://pacs:8042/dicom-web/studies answered 500",
    );
    expect(credentialsFromUrl("https://a%20b:c%40d@h/x")).toEqual({
      url: "https://h/x",
      authorization: `Basic ${Buffer.from("a b:c@d").toString("base64")}`,
    });
    expect(credentialsFromUrl("https://h/x")).toEqual({ url: "https://h/x" });
  });

  it("sends them as Basic auth and stores the job, its items and errors without them", async () => {
    const { job } = await pullFromDicomweb(env.ctx, { url: withCredentials });
    expect(job).toMatchObject({ total: 1, failed: 1, sourceRef: base });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.every((h) => h?.startsWith("Basic "))).toBe(true);
    const report = await jobReport(env.t.db, job.id);
    expect(report.problems[0]?.examples[0]?.message).toMatch(/127\.0\.0\.1.*answered 500/);
    const stored = JSON.stringify({
      jobs: await env.t.db.importJob.findMany(),
      items: await env.t.db.importItem.findMany(),
    });
    expect(stored).toContain("answered 500");
    expect(stored).not.toContain("pw-9f3k");
    expect(stored).not.toContain("reader:");
  });

  it("old rows that hold credentials are shown without them", async () => {
    const { job } = await pullFromDicomweb(env.ctx, { url: withCredentials });
    await env.t.db.importJob.update({
      where: { id: job.id },
      data: { sourceRef: withCredentials, error: `cannot reach ${withCredentials}/studies` },
    });
    const report = await jobReport(env.t.db, job.id);
    expect(report.job.sourceRef).toBe(base);
    expect(report.job.error).toBe(`cannot reach ${base}/studies`);
  });

  it("the CLI prints neither the password nor the user on failure or in its report", async () => {
    const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
    const cli = async (url: string) => {
      try {
        const r = await promisify(execFile)(
          process.execPath,
          ["--import", "tsx", "packages/ingest/src/cli.ts", "dicomweb", "--url", url],
          { cwd: repoRoot, env: { ...process.env, DATABASE_URL: env.t.url, STORAGE_URL: env.storageDir } },
        );
        return { code: 0, out: r.stdout + r.stderr };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, out: e.stdout + e.stderr };
      }
    };
    const refused = await cli(withCredentials.replace(encodeURIComponent(PASSWORD), "wrong-pw-7q"));
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/answered 401/);
    expect(refused.out).not.toMatch(/wrong-pw-7q|reader/);
    const report = await cli(withCredentials);
    expect(report.out).toMatch(/answered 500/);
    expect(report.out).not.toMatch(/pw-9f3k|reader/);
  }, 90_000);
});
