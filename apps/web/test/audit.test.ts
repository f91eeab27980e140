// The audit page's functions against real PostgreSQL: confusion counts equal those recomputed here from the
// stored rows, the threshold sweep and the comparison agree with direct counts, a cell's queue lists exactly
// its cases, and the history (timeline, audit log) and exports (labels, COCO round trip) hold what they should.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { LocalStorage } from "@cxr/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compare, confusion, thresholds } from "~/server/services/audit/analysis";
import { type AuditScope } from "~/server/services/audit/scope";
import { cocoJson } from "~/server/services/exports/coco";
import { importCoco } from "~/server/services/exports/coco-import";
import { labelsCsv, labelsJson } from "~/server/services/exports/labels";
import { auditLogCsv } from "~/server/services/history/audit-log";
import { createAuditFixture, type AuditFixture } from "./audit-fixtures";
import { callerAs, codeOf, sessionFor, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();
const dir = mkdtempSync(path.join(os.tmpdir(), "cxr-audit-"));
let fx: AuditFixture;

beforeAll(async () => {
  fx = await createAuditFixture(t.db, new LocalStorage(dir), {
    tag: `audit-${Date.now()}`,
    readerId: t.users.radiologist.id,
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = async (chunks: AsyncIterable<string>) => {
  let s = "";
  for await (const c of chunks) s += c;
  return s;
};

/** The truth of each image, recomputed from the rows with the documented order (not the service's SQL). */
async function expectedCases(modelVersionId: string, scope: AuditScope) {
  const db = t.db;
  const predictions = await db.prediction.findMany({
    where: { modelVersionId },
    select: {
      imageId: true,
      predictedClassId: true,
      probabilities: true,
      image: { select: { study: { select: { patient: { select: { split: true } } } } } },
    },
  });
  const out: { imageId: string; truth: string | null; predicted: string; probabilities: number[] }[] = [];
  for (const p of predictions) {
    if (scope === "test" && p.image.study.patient.split !== "TEST") continue;
    const consensus = await db.consensus.findFirst({
      where: { imageId: p.imageId, labelSetId: fx.labelSetId },
    });
    const current = (source: "READER" | "IMPORT") =>
      db.read.findFirst({
        where: { imageId: p.imageId, labelSetId: fx.labelSetId, source, supersededBy: null },
        orderBy: { createdAt: "desc" },
      });
    const truth =
      consensus?.classId ??
      (await current("READER"))?.classId ??
      (scope === "reviewed" ? null : ((await current("IMPORT"))?.classId ?? null));
    if (truth === null && scope !== "predicted") continue;
    out.push({ imageId: p.imageId, truth, predicted: p.predictedClassId, probabilities: p.probabilities });
  }
  return out;
}

describe("confusion matrix", () => {
  for (const scope of ["test", "reviewed", "predicted"] as const)
    it(`equals the counts recomputed from the stored predictions (${scope})`, async () => {
      const m = await confusion(t.db, { modelVersionId: fx.modelVersionId, scope });
      const cases = await expectedCases(fx.modelVersionId, scope);
      const expected = m.classes.map((tc) =>
        m.classes.map((pc) => cases.filter((c) => c.truth === tc.id && c.predicted === pc.id).length),
      );
      expect(m.counts).toEqual(expected);
      expect(m.total).toBe(cases.filter((c) => c.truth).length);
      expect(m.total).toBeGreaterThan(0);
      for (const e of m.errors) {
        const row = m.classes.findIndex((c) => c.key === e.truthKey);
        expect(e.rowRate).toBeCloseTo(e.count / m.rowTotals[row]!, 10);
      }
    });

  it("lists pneumonia -> COVID-19 first among the errors", async () => {
    const m = await confusion(t.db, { modelVersionId: fx.modelVersionId, scope: "predicted" });
    expect(m.errors[0]).toMatchObject({ truthKey: "pneumonia", predictedKey: "covid-19" });
  });

  it("refuses an unknown version with NOT_FOUND", async () => {
    const caller = callerAs(t.db, sessionFor(t.users.radiologist));
    expect(await codeOf(caller.audit.confusion({ modelVersionId: "no-such-version" }))).toBe("NOT_FOUND");
  });
});

describe("threshold analysis", () => {
  it("matches direct counts at every operating point", async () => {
    const r = await thresholds(t.db, { modelVersionId: fx.modelVersionId, scope: "predicted" });
    const cases = (await expectedCases(fx.modelVersionId, "predicted")).filter((c) => c.truth);
    const covid = fx.classIds["covid-19"]!;
    for (const point of [r.points[0]!, r.points[50]!, r.points[72]!, r.points[100]!]) {
      const called = (c: (typeof cases)[number]) =>
        Math.floor(c.probabilities[2]! * 100) / 100 >= point.threshold;
      const tp = cases.filter((c) => c.truth === covid && called(c)).length;
      const fp = cases.filter((c) => c.truth !== covid && called(c)).length;
      expect([point.tp, point.fp]).toEqual([tp, fp]);
      expect(point.tp + point.fn).toBe(r.positives);
    }
    expect(r.prevalence).toBeCloseTo(r.positives / cases.length, 10);
  });
});

describe("comparing two versions", () => {
  it("counts the flips, and a flip queue lists exactly those cases", async () => {
    const r = await compare(t.db, {
      modelVersionId: fx.modelVersionId,
      baselineId: fx.baselineId,
      scope: "test",
    });
    const cases = await expectedCases(fx.modelVersionId, "test");
    const baseline = await t.db.prediction.findMany({ where: { modelVersionId: fx.baselineId } });
    const before = new Map(baseline.map((b) => [b.imageId, b.predictedClassId]));
    const rw = cases.filter((c) => before.get(c.imageId) === c.truth && c.predicted !== c.truth);
    const wr = cases.filter((c) => before.get(c.imageId) !== c.truth && c.predicted === c.truth);
    expect([r.rightToWrong, r.wrongToRight, r.both]).toEqual([rw.length, wr.length, cases.length]);
    expect(rw.length + wr.length).toBeGreaterThan(0);

    const caller = callerAs(t.db, sessionFor(t.users.radiologist));
    const queue = await caller.review.queue({
      audit: {
        kind: "flip",
        modelVersionId: fx.modelVersionId,
        baselineId: fx.baselineId,
        scope: "test",
        direction: "rightToWrong",
      },
      limit: 100,
    });
    expect(queue.entries.map((e) => e.imageId).sort()).toEqual(rw.map((c) => c.imageId).sort());
  });
});

describe("a cell as a review queue", () => {
  it("lists exactly the cell's cases, reviewed or not, with the audited version's prediction", async () => {
    const caller = callerAs(t.db, sessionFor(t.users.radiologist));
    const queue = await caller.review.queue({
      audit: {
        kind: "cell",
        modelVersionId: fx.modelVersionId,
        scope: "predicted",
        truthKey: "pneumonia",
        predictedKey: "covid-19",
      },
      limit: 100,
    });
    const cases = await expectedCases(fx.modelVersionId, "predicted");
    const cell = cases.filter(
      (c) => c.truth === fx.classIds["pneumonia"] && c.predicted === fx.classIds["covid-19"],
    );
    expect(queue.scope).toBe("audit");
    expect(queue.entries.map((e) => e.imageId).sort()).toEqual(cell.map((c) => c.imageId).sort());
    expect(queue.entries.every((e) => e.predictedClassKey === "covid-19")).toBe(true);
  });
});

describe("history", () => {
  it("an image's timeline has its reads, consensus and predictions in order", async () => {
    const caller = callerAs(t.db, sessionFor(t.users.radiologist));
    const entries = await caller.history.image({ imageId: fx.imageIds[0]! });
    const kinds = new Set(entries.map((e) => e.kind));
    for (const k of ["import", "read", "consensus", "prediction", "roi"]) expect(kinds).toContain(k);
    expect(entries.map((e) => e.at.getTime())).toEqual(
      [...entries.map((e) => e.at.getTime())].sort((a, b) => a - b),
    );
    expect(entries.some((e) => e.why === "fixture adjudication")).toBe(true);
  });

  it("the audit log is for admins only, filters and pages on the server", async () => {
    const radiologist = callerAs(t.db, sessionFor(t.users.radiologist));
    expect(await codeOf(radiologist.history.auditLog({}))).toBe("FORBIDDEN");
    expect(await codeOf(radiologist.exports.auditLog({}))).toBe("FORBIDDEN");
    const admin = callerAs(t.db, sessionFor(t.users.admin));
    for (let i = 0; i < 3; i++)
      await t.db.auditEvent.create({
        data: {
          actorId: t.users.admin.id,
          actorRole: "ADMIN",
          action: "test.audited",
          entityType: "Test",
          entityId: `e${i}`,
        },
      });
    const first = await admin.history.auditLog({ action: "test.", limit: 2 });
    expect(first.total).toBe(3);
    expect(first.events.map((e) => e.entityId)).toEqual(["e2", "e1"]);
    const second = await admin.history.auditLog({ action: "test.", limit: 2, cursor: first.nextCursor! });
    expect(second.events.map((e) => e.entityId)).toEqual(["e0"]);
    expect(second.nextCursor).toBeNull();
    const csv = await text(auditLogCsv(t.db, { action: "test.", actor: "admin" }));
    expect(csv.trim().split("\r\n")).toHaveLength(4);
  });
});

describe("exports", () => {
  it("labels as CSV and JSON: one row per case of the selection", async () => {
    const filter = { modelVersionId: fx.modelVersionId, scope: "test" as const };
    const cases = await expectedCases(fx.modelVersionId, "test");
    const rows = JSON.parse(await text(labelsJson(t.db, filter, t.users.radiologist.id))) as Record<
      string,
      unknown
    >[];
    expect(rows.map((r) => r.imageId).sort()).toEqual(cases.map((c) => c.imageId).sort());
    const read = rows.find((r) => r.source === "CORRECTED");
    expect(read?.readers).toBe(t.users.radiologist.email);
    const csv = (await text(labelsCsv(t.db, filter, t.users.radiologist.id))).trim().split("\r\n");
    expect(csv[0]).toContain("imageId,patient,studyId");
    expect(csv).toHaveLength(cases.length + 1);
  });

  it("COCO: polygons and RLE out, and an import of the same file round-trips", async () => {
    const filter = { modelVersionId: fx.modelVersionId, scope: "predicted" as const };
    const strip = (s: string) => {
      const j = JSON.parse(s) as { info: Record<string, unknown> };
      delete j.info.date_created;
      return j;
    };
    const before = strip(await text(cocoJson(t.db, filter, null))) as unknown as {
      annotations: { iscrowd: number; segmentation: unknown; category_id: number }[];
      categories: { name: string }[];
    };
    expect(before.categories.map((c) => c.name)).toEqual(["normal", "pneumonia", "covid-19", "lung-opacity"]);
    expect(before.annotations.map((a) => a.iscrowd).sort()).toEqual([0, 1]);
    const rle = before.annotations.find((a) => a.iscrowd === 1)!.segmentation as {
      size: number[];
      counts: number[];
    };
    expect(rle.counts.reduce((s, n) => s + n, 0)).toBe(rle.size[0]! * rle.size[1]!);

    await t.db.annotation.deleteMany({ where: { imageId: { in: fx.imageIds } } });
    const admin = callerAs(t.db, sessionFor(t.users.admin));
    const result = await admin.exports.importCoco({ labelSetName: "cxr-4class", coco: before });
    expect(result).toEqual({ imported: 2, duplicates: 0, skipped: [] });
    expect(strip(await text(cocoJson(t.db, filter, null)))).toEqual(before);
    // importing again adds nothing
    const again = await importCoco(t.db, { labelSetName: "cxr-4class", coco: before }, t.users.admin);
    expect(again).toMatchObject({ imported: 0, duplicates: 2 });
  });

  it("a bad COCO file is refused with the reason and writes nothing", async () => {
    const admin = callerAs(t.db, sessionFor(t.users.admin));
    const count = await t.db.annotation.count();
    expect(await codeOf(admin.exports.importCoco({ labelSetName: "cxr-4class", coco: { images: 3 } }))).toBe(
      "BAD_REQUEST",
    );
    const unknownImage = {
      categories: [{ id: 1, name: "normal" }],
      images: [{ id: 1, width: 4, height: 4, cxr_image_id: "no-such-image" }],
      annotations: [],
    };
    await expect(
      importCoco(t.db, { labelSetName: "cxr-4class", coco: unknownImage }, t.users.admin),
    ).rejects.toThrow(/not in the archive/);
    expect(await t.db.annotation.count()).toBe(count);
  });
});

describe("the exports CLI", () => {
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/exports.ts", ...args], {
      cwd: path.resolve(import.meta.dirname, ".."),
      env: { ...process.env, DATABASE_URL: t.appUrl },
    });

  it("writes the same labels CSV as the download, and imports a COCO file", async () => {
    const { stdout } = await cli(["labels", "--scope", "test", "--model", fx.modelVersionId]);
    const expected = await text(labelsCsv(t.db, { modelVersionId: fx.modelVersionId, scope: "test" }, null));
    expect(stdout).toBe(expected);
    const file = path.join(dir, "cli.coco.json");
    await cli(["coco", "--scope", "predicted", "--model", fx.modelVersionId, "--out", file]);
    const coco = JSON.parse(readFileSync(file, "utf8")) as { annotations: unknown[] };
    expect(coco.annotations).toHaveLength(2);
    writeFileSync(file, JSON.stringify(coco));
    const imported = await cli(["import-coco", file, "--as", t.users.admin.email]);
    expect(JSON.parse(imported.stdout)).toMatchObject({ imported: 0, duplicates: 2 });
  });

  it("refuses an unknown class with a message and a non-zero exit", async () => {
    await expect(cli(["labels", "--truth", "no-such-class"])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no class "no-such-class"'),
    });
  });
});
