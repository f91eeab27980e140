// The review queue at scale (`npm run bench:queue -w @cxr/web`): seeds its own database (embedded PostgreSQL,
// 100k images x 10 models = 1M predictions, 20% with an imported label, the champion's 20k most uncertain
// images already reviewed), then measures `review.queue` through the real service function (listQueue, over
// the app's least-privilege role, in this process) for one reader and every filter, prints the plan of the
// unassigned query (EXPLAIN ANALYZE), and runs N concurrent readers (default 30) doing queue + submit through
// the service functions over one connection pool, as one web server would. Prints one JSON object.
// Flags: --images N --models N --readers N --seconds S --iterations N (defaults 100000 10 30 60 40).
import { Prisma, createDb } from "@cxr/db";
import { createTestDatabase, startTestServer } from "@cxr/db/testing";
import { DomainError } from "@cxr/domain";
import { submitDecision } from "~/server/services/review/decision";
import { listQueue, unreviewedQuery, type QueueFilter } from "~/server/services/review/queue";
import { numberFlags } from "./args";
import { summary } from "./stats";
import { seedQueueData } from "./seed-queue";

const {
  images: IMAGES,
  models: MODELS,
  readers: READERS,
  seconds: SECONDS,
  iterations: ITERATIONS,
} = numberFlags({ images: 100_000, models: 10, readers: 30, seconds: 60, iterations: 40 });

const server = await startTestServer();
try {
  const t = await createTestDatabase(server.adminUrl);
  const seedStart = performance.now();
  const data = await seedQueueData(t.db, {
    images: IMAGES,
    models: MODELS,
    readers: READERS,
    importedShare: 0.2,
    reviewed: Math.floor(IMAGES / 5),
  });
  const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;
  const app = createDb(t.appUrl, { max: 10 });

  // one reader, every filter (a narrow and a wide date range; the dates span 2020-2024)
  const filters: Record<string, QueueFilter> = {
    none: {},
    modality: { modality: "CR" },
    viewPosition: { viewPosition: "AP" },
    dateNarrow: { from: new Date("2021-03-01"), to: new Date("2021-03-31") },
    dateWide: { from: new Date("2020-01-01"), to: new Date("2023-12-31") },
    predictedClass: { predictedClassKey: "covid-19" },
    trueClass: { trueClassKey: "pneumonia" },
    pneumoniaAsCovid: { pneumoniaAsCovid: true },
    combined: {
      modality: "DX",
      viewPosition: "PA",
      predictedClassKey: "pneumonia",
      from: new Date("2021-01-01"),
    },
    otherModel: { modelVersionId: "bench-model-1" },
  };
  const reader = data.readers[0]!.id;
  const oneReader: Record<string, ReturnType<typeof summary> & { entries: number }> = {};
  for (const [name, filter] of Object.entries(filters)) {
    const times: number[] = [];
    let entries = 0;
    for (let i = 0; i < ITERATIONS + 3; i++) {
      const start = performance.now();
      const q = await listQueue(app, { scope: "unreviewed", ...filter }, reader);
      if (i >= 3) times.push(performance.now() - start); // the first calls warm caches
      entries = q.entries.length;
    }
    oneReader[name] = { ...summary(times), entries };
  }
  await t.db.reviewLease.deleteMany();

  // the plan of the default queue (the champion, no filter) with 20% of images reviewed
  const plan = await t.db.$queryRaw<{ "QUERY PLAN": string }[]>(
    Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${unreviewedQuery({}, data.championId, reader)}`,
  );

  // N readers at once, each: queue, a short look at the top case, submit it
  const queueTimes: number[] = [];
  const submitTimes: number[] = [];
  let submitted = 0;
  let conflicts = 0;
  let empty = 0;
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(
    data.readers.slice(0, READERS).map(async (r) => {
      while (Date.now() < deadline) {
        let start = performance.now();
        const q = await listQueue(app, { scope: "unreviewed" }, r.id);
        queueTimes.push(performance.now() - start);
        const e = q.entries[0];
        if (!e) {
          empty++;
          continue;
        }
        await new Promise((done) => setTimeout(done, 100 + Math.random() * 200));
        start = performance.now();
        try {
          await submitDecision(
            app,
            { id: r.id, role: "RADIOLOGIST" },
            {
              imageId: e.imageId,
              labelSetId: data.labelSetId,
              baseReadId: null,
              classId: data.classIds["normal"]!,
              predictionId: e.predictionId,
              durationMs: 300,
            },
          );
          submitted++;
        } catch (error) {
          if (!(error instanceof DomainError && error.code === "CONFLICT")) throw error;
          conflicts++;
        }
        submitTimes.push(performance.now() - start);
      }
    }),
  );
  const attempts = submitted + conflicts;
  console.log(
    JSON.stringify(
      {
        bench: "review.queue",
        through:
          "service functions (listQueue, submitDecision) in one process over the app role's pool of 10",
        data: {
          images: IMAGES,
          predictions: IMAGES * MODELS,
          models: MODELS,
          reviewed: Math.floor(IMAGES / 5),
        },
        seedSeconds,
        oneReaderMs: oneReader,
        concurrent: {
          readers: READERS,
          seconds: SECONDS,
          queueMs: summary(queueTimes),
          submitMs: summary(submitTimes),
          submitted,
          conflicts,
          conflictRate: attempts ? Math.round((conflicts / attempts) * 1000) / 1000 : 0,
          emptyQueues: empty,
          submitsPerSecond: Math.round((submitted / SECONDS) * 10) / 10,
        },
        plan: plan.map((row) => row["QUERY PLAN"]),
      },
      null,
      2,
    ),
  );
  await app.$disconnect();
  await t.close();
} finally {
  await server.stop();
}
