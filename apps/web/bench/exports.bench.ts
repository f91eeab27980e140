// Labels export at scale (`npm run bench:exports -w @cxr/web`): seeds its own database (embedded PostgreSQL,
// 100k images each with an imported label and a prediction of one model), then streams the labels CSV and
// JSON through the same generators as the download (labelsCsv / labelsJson, as the app's least-privilege role)
// into a sink that only counts bytes, sampling this process's RSS every 20 ms. Memory is constant when the RSS
// after the first tenth of the rows is about the peak. Prints one JSON object.
// Run with --expose-gc (the npm script does) for the live heap after a full collection at each tenth.
// Flags: --images N (default 100000).
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { createDb } from "@cxr/db";
import { createTestDatabase, startTestServer } from "@cxr/db/testing";
import { labelsCsv, labelsJson } from "~/server/services/exports/labels";
import { numberFlags } from "./args";
import { seedQueueData } from "./seed-queue";

const { images: IMAGES } = numberFlags({ images: 100_000 });
const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;

const seedOptions = { images: IMAGES, models: 1, readers: 1, importedShare: 1, reviewed: 0 };
const server = await startTestServer();
try {
  const seedStart = performance.now();
  const t = await createTestDatabase(server.adminUrl);
  const { championId } = await seedQueueData(t.db, seedOptions);
  const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;
  const app = createDb(t.appUrl, { max: 4 });
  const results: Record<string, unknown> = {};
  for (const [format, produce] of [
    ["csv", labelsCsv],
    ["json", labelsJson],
  ] as const) {
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    let bytes = 0;
    let lines = 0;
    let rssAtTenth: number | null = null;
    // the live heap after a full collection at every tenth of the rows: flat when nothing accumulates
    const heapAfterGc: number[] = [];
    let nextTenth = 1;
    const started = performance.now();
    await pipeline(
      Readable.from(produce(app, { modelVersionId: championId, scope: "predicted" }, null)),
      new Writable({
        write(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          for (const b of chunk) if (b === 10) lines++;
          if (rssAtTenth === null && lines >= IMAGES / 10) rssAtTenth = process.memoryUsage().rss;
          if (lines >= (nextTenth * IMAGES) / 10 && nextTenth <= 10) {
            nextTenth++;
            if (global.gc) {
              global.gc();
              heapAfterGc.push(mb(process.memoryUsage().heapUsed));
            }
          }
          done();
        },
      }),
    );
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    results[format] = {
      rows: format === "csv" ? lines - 1 : lines - 2,
      megabytes: mb(bytes),
      seconds: Math.round((performance.now() - started) / 100) / 10,
      rssBeforeMb: mb(baseline),
      rssAtTenthMb: rssAtTenth === null ? null : mb(rssAtTenth),
      peakRssMb: mb(peak),
      growthAfterTenthMb: rssAtTenth === null ? null : mb(peak - rssAtTenth),
      heapAfterGcPerTenthMb: heapAfterGc,
    };
  }
  await app.$disconnect();
  await t.close();
  process.stdout.write(`${JSON.stringify({ images: IMAGES, seedSeconds, ...results }, null, 2)}\n`);
} finally {
  await server.stop();
}
