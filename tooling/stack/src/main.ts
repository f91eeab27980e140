// `npm start` ends here: database, migrations, demo users, then the inference service and the web app,
// started and stopped together (Ctrl-C or SIGTERM stops all three).
import path from "node:path";
import { createDb } from "@cxr/db";
import { removeLocalRuntime, writeLocalRuntime } from "@cxr/db/local-runtime";
import { applyMigrations } from "@cxr/db/migrate";
import { demoUserTemplates, seed } from "@cxr/db/seed";
import { startChild, stopChild, waitForHttp, type Child } from "./children";
import { loadConfig, repoRoot } from "./config";
import { openDatabase, type PlatformDatabase } from "./database";
import { loadSecrets } from "./secrets";

const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);

async function main(): Promise<void> {
  const config = loadConfig();
  const { secrets, seedPasswordSource } = await loadSecrets(config);

  const children: Child[] = [];
  let database: PlatformDatabase | undefined;
  let stopping: Promise<void> | undefined;
  const stopAll = (code: number) => {
    stopping ??= (async () => {
      await Promise.all(children.map((c) => stopChild(c)));
      await removeLocalRuntime(config.DATA_DIR);
      await database?.stop();
      console.log("Stopped.");
      process.exit(code);
    })();
    return stopping;
  };
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      console.log(`\n${sig}: stopping the web app, the inference service and the database...`);
      void stopAll(0);
    });
  }

  try {
    database = await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      embeddedPort: config.EMBEDDED_PG_PORT,
      password: secrets.postgresPassword,
    });
    console.log(`Database: ${database.description}`);
    const applied = await applyMigrations(database.url);
    console.log(applied.length ? `Applied migrations: ${applied.join(", ")}` : "Migrations: up to date");

    const db = createDb(database.url, { max: 2 });
    const users = demoUserTemplates.map((u) => ({ ...u, password: secrets.seedPasswords[u.role] }));
    await seed(db, users);
    await db.$disconnect();

    const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.WEB_PORT}`;
    const inferenceUrl = `http://127.0.0.1:${config.INFERENCE_PORT}`;
    const storageUrl = config.STORAGE_URL ?? path.join(config.DATA_DIR, "objects");
    const common = {
      ...process.env,
      DATABASE_URL: database.url,
      INFERENCE_TOKEN: secrets.inferenceToken,
      STORAGE_URL: storageUrl,
    };
    await writeLocalRuntime(config.DATA_DIR, { databaseUrl: database.url, storageUrl, pid: process.pid });
    const inference = startChild(
      "inference",
      bin("tsx"),
      ["src/main.ts"],
      path.join(repoRoot, "apps/inference"),
      {
        ...common,
        INFERENCE_PORT: String(config.INFERENCE_PORT),
        INFERENCE_HOST: "127.0.0.1",
        ML_BACKEND: config.ML_BACKEND,
        // trained models live beside the database, so later starts reuse the demo's model
        MODELS_DIR: path.join(config.DATA_DIR, "models"),
        // the demo is a queue job inside the service: /health does not wait for it
        DEMO: config.DEMO,
      },
    );
    children.push(inference);
    const web = startChild(
      "web",
      bin("next"),
      ["start", "-p", String(config.WEB_PORT)],
      path.join(repoRoot, "apps/web"),
      {
        ...common,
        NODE_ENV: "production",
        INFERENCE_URL: inferenceUrl,
        NEXTAUTH_URL: publicUrl,
        NEXTAUTH_SECRET: secrets.nextauthSecret,
      },
    );
    children.push(web);
    for (const child of children) {
      void child.exited.then((code) => {
        if (stopping) return;
        console.error(`${child.name} exited (${code}); stopping the rest.`);
        void stopAll(1);
      });
    }

    await waitForHttp(`${inferenceUrl}/health`, inference, 120_000);
    await waitForHttp(`http://127.0.0.1:${config.WEB_PORT}/api/health`, web, 120_000);

    console.log(
      [
        "",
        "CXR Review is running.",
        `  Web app:            ${publicUrl}   (health: ${publicUrl}/api/health)`,
        `  Inference service:  http://localhost:${config.INFERENCE_PORT}   (health: http://localhost:${config.INFERENCE_PORT}/health)`,
        `  Database:           ${database.description}`,
        "  Demo users (passwords from SEED_*_PASSWORD when set, otherwise generated once and kept in",
        `  ${path.join(config.DATA_DIR, "secrets.json")}):`,
        ...users.map(
          (u) =>
            `    ${u.role.padEnd(12)} ${u.email.padEnd(24)} ${u.password}   (${seedPasswordSource[u.role]})`,
        ),
        "Press Ctrl-C to stop.",
        "",
      ].join("\n"),
    );
  } catch (error) {
    console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll(1);
  }
}

void main();
