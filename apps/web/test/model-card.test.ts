// The model card over real PostgreSQL: it states the version, its data, the test figures with their CIs and the
// gate as stored, its failure modes agree with the audit's confusion counts and link cases of the right cell,
// every value is escaped in the HTML, and the download and the CLI refuse what they should.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { LocalStorage } from "@cxr/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confusion } from "~/server/services/audit/analysis";
import { exportDownload } from "~/server/services/exports/downloads";
import { modelCard, NOT_A_DIAGNOSIS } from "~/server/services/exports/model-card";
import { createAuditFixture, type AuditFixture } from "./audit-fixtures";
import { sessionFor, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();
const dir = mkdtempSync(path.join(os.tmpdir(), "cxr-card-"));
let fx: AuditFixture;
const hostile = `<script>alert("x")</script> & | *`;

beforeAll(async () => {
  fx = await createAuditFixture(t.db, new LocalStorage(dir), {
    tag: `card-${Date.now()}`,
    readerId: t.users.radiologist.id,
  });
  const test = {
    classes: ["normal", "pneumonia", "covid-19", "lung-opacity"],
    count: 20,
    accuracy: 0.8125,
    macroF1: 0.7,
    ece: 0.05,
    aucOvrMacro: 0.9,
    kappa: 0.6,
    perClass: { "covid-19": { precision: 0.5, recall: 0.75, specificity: 0.9, f1: 0.6, auc: 0.88 } },
    confusionMatrix: [[1]],
    ci95: { accuracy: { lower: 0.71, upper: 0.9 }, "covid-19.sensitivity": { lower: 0.52, upper: 0.93 } },
  };
  await t.db.modelVersion.update({
    where: { id: fx.modelVersionId },
    data: {
      name: hostile,
      checksum: "abc123checksum",
      parentId: fx.baselineId,
      metrics: {
        test,
        champion: { id: fx.baselineId, test: null },
        gate: {
          passed: false,
          checks: [{ name: hostile, candidate: 0.8125, champion: 0.85, passed: false }],
        },
        data: {
          "covid-19": { IMPORTED: { images: 17, patients: 13 }, CONSENSUS: { images: 4, patients: 3 } },
        },
      },
    },
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const card = (format: "md" | "html", viewerId: string | null = null) =>
  modelCard(t.db, { modelVersionId: fx.modelVersionId }, format, { viewerId, baseUrl: "https://cxr.test" });

describe("the model card", () => {
  it("states the version, data, test figures with CIs, gate, intended use and the statement", async () => {
    const md = await card("md");
    const baseline = await t.db.modelVersion.findUniqueOrThrow({ where: { id: fx.baselineId } });
    expect(md).toContain("abc123checksum");
    expect(md).toContain(`| Parent | v${baseline.version} |`);
    expect(md).toContain("| covid-19 | imported | 17 | 13 |");
    expect(md).toContain("| covid-19 | consensus | 4 | 3 |");
    expect(md).toContain("| Accuracy | 0.813 (0.71–0.90) |");
    // a per-class figure with its interval; one without an interval is shown bare
    expect(md).toMatch(/\| covid-19 \| 0\.500 \| 0\.750 \(0\.52–0\.93\) \| 0\.900 \|/);
    expect(md).toContain(`Verdict: failed, against champion v${baseline.version}`);
    expect(md).toContain("## Intended use");
    expect(md.split(NOT_A_DIAGNOSIS).length).toBeGreaterThan(2);
    // markdown-significant characters from the data are escaped, not interpreted
    expect(md).toContain("\\<script\\>");
    expect(md).toContain("& \\| \\*");
  });

  it("lists the audit's largest confusions, pneumonia → COVID-19 first, with cases of that cell", async () => {
    const md = await card("md");
    const m = await confusion(t.db, { modelVersionId: fx.modelVersionId, scope: "test" });
    expect(md).toContain(`${m.total - m.correct} of ${m.total} labelled cases wrong`);
    const lines = md.split("\n").filter((l) => l.startsWith("- true "));
    expect(lines.length).toBe(Math.min(6, m.errors.length));
    const first = m.errors[0]!;
    expect([first.truthKey, first.predictedKey]).toEqual(["pneumonia", "covid-19"]);
    expect(lines[0]).toContain(`predicted as covid-19: ${first.count} case`);
    const cases = [...lines[0]!.matchAll(/review\?case=([^&]+)&model=/g)].map((x) => x[1]!);
    expect(cases.length).toBe(Math.min(3, first.count));
    for (const imageId of cases) {
      const p = await t.db.prediction.findFirstOrThrow({
        where: { imageId, modelVersionId: fx.modelVersionId },
        select: { predictedClassId: true, image: { select: { study: { select: { patient: true } } } } },
      });
      expect(p.predictedClassId).toBe(fx.classIds["covid-19"]);
      expect(p.image.study.patient.split).toBe("TEST");
    }
    expect(lines[0]).toContain("(https://cxr.test/review?audit=cell&");
  });

  it("escapes every value in the HTML", async () => {
    const html = await card("html");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; | *");
    expect(html).toContain('<a href="https://cxr.test/review?case=');
    expect(html).toContain(NOT_A_DIAGNOSIS);
  });
});

describe("the download", () => {
  const get = (file: string, query: string, user: Parameters<typeof sessionFor>[0]) =>
    exportDownload(file, new Request(`https://cxr.test/api/exports/${file}?${query}`), {
      db: t.db,
      session: sessionFor(user),
    });

  it("gives readers the card and refuses an annotator, an unknown version and a missing one", async () => {
    const ok = await get("model-card.html", `modelVersionId=${fx.modelVersionId}`, t.users.radiologist);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/html");
    expect(await ok.text()).toContain("https://cxr.test/review?case=");
    const md = await get("model-card.md", `modelVersionId=${fx.modelVersionId}`, t.users.admin);
    expect((await md.text()).startsWith("# Model card: ")).toBe(true);
    expect(
      (await get("model-card.md", `modelVersionId=${fx.modelVersionId}`, t.users.annotator)).status,
    ).toBe(403);
    expect((await get("model-card.md", "modelVersionId=no-such-version", t.users.admin)).status).toBe(404);
    const anonymous = await exportDownload(
      "model-card.md",
      new Request(`https://cxr.test/api/exports/model-card.md?modelVersionId=${fx.modelVersionId}`),
      { db: t.db, session: null },
    );
    expect(anonymous.status).toBe(401);
    const missing = await get("model-card.md", "", t.users.admin);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/modelVersionId/);
  });
});

describe("the CLI", () => {
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/exports.ts", ...args], {
      cwd: path.resolve(import.meta.dirname, ".."),
      env: { ...process.env, DATABASE_URL: t.appUrl },
    });
  const undated = (s: string) => s.replace(/Generated [^.]+\./, "");

  it("writes the same card as the function, and refuses an unknown version", async () => {
    const { stdout } = await cli([
      "model-card",
      "--model",
      fx.modelVersionId,
      "--base-url",
      "https://cxr.test/",
    ]);
    expect(undated(stdout)).toBe(undated(await card("md")));
    await expect(cli(["model-card", "--model", "no-such-version"])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("no such model version"),
    });
  });
});
