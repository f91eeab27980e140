// `npm start` ends here: database, migrations and the services' database role, demo users, then the inference
// service and the web app, started and stopped together (Ctrl-C or SIGTERM stops all three).
import path from "node:path";
import { createDb } from "@cxr/db";
import { removeLocalRuntime, writeLocalRuntime } from "@cxr/db/local-runtime";
import { prepareDatabase } from "@cxr/db/migrate";
import { demoUserTemplates, seed } from "@cxr/db/seed";
import { startChild, stopChild, waitForHttp, type Child } from "./children";
import { loadConfig, repoRoot } from "./config";
import { openDatabase, type PlatformDatabase } from "./database";
import { loadSecrets } from "./secrets";

const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);

async function main(): Promise<void> {
  const config = loadConfig();
  const { secrets, seedPasswordSource, file: secretsFile, created } = await loadSecrets(config);

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
      ownerUrl: config.DATABASE_OWNER_URL,
      dataDir: config.DATA_DIR,
      embeddedPort: config.EMBEDDED_PG_PORT,
      password: secrets.postgresPassword,
      appPassword: secrets.appDatabasePassword,
    });
    console.log(`Database: ${database.description}`);
    const { applied, appRole } = await prepareDatabase(database.ownerUrl, database.appUrl);
    console.log(applied.length ? `Applied migrations: ${applied.join(", ")}` : "Migrations: up to date");
    console.log(
      appRole
        ? `The services connect as ${appRole}: rows only, the audit log append-only; the owner migrates and seeds`
        : "The services connect as the tables' owner (set DATABASE_OWNER_URL to give them a role of their own)",
    );

    const db = createDb(database.ownerUrl, { max: 2 });
    const users = demoUserTemplates.map((u) => ({ ...u, password: secrets.seedPasswords[u.role] }));
    await seed(db, users);
    await db.$disconnect();

    const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.WEB_PORT}`;
    const inferenceUrl = `http://127.0.0.1:${config.INFERENCE_PORT}`;
    const storageUrl = config.STORAGE_URL ?? path.join(config.DATA_DIR, "objects");
    const common = {
      ...withoutOwnerSecrets(process.env),
      DATABASE_URL: database.appUrl,
      INFERENCE_TOKEN: secrets.inferenceToken,
      STORAGE_URL: storageUrl,
    };
    await writeLocalRuntime(config.DATA_DIR, { databaseUrl: database.appUrl, storageUrl, pid: process.pid });
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

    // generated passwords are shown once, at the start that created them; afterwards only where they are
    const passwordNote = (role: keyof typeof seedPasswordSource) =>
      seedPasswordSource[role] === "environment"
        ? `password from SEED_${role}_PASSWORD`
        : created
          ? `${secrets.seedPasswords[role]}   (generated now, kept in ${secretsFile}; not shown again)`
          : `password in ${secretsFile} (seedPasswords.${role})`;

    await waitForHttp(`${inferenceUrl}/health`, inference, 120_000);
    await waitForHttp(`http://127.0.0.1:${config.WEB_PORT}/api/health`, web, 120_000);

    console.log(
      [
        "",
        "CXR Review is running.",
        `  Web app:            ${publicUrl}   (health: ${publicUrl}/api/health)`,
        `  Inference service:  http://localhost:${config.INFERENCE_PORT}   (health: http://localhost:${config.INFERENCE_PORT}/health)`,
        `  Database:           ${database.description}`,
        "  Demo users:",
        ...users.map((u) => `    ${u.role.padEnd(12)} ${u.email.padEnd(24)} ${passwordNote(u.role)}`),
        "Press Ctrl-C to stop.",
        "",
      ].join("\n"),
    );
  } catch (error) {
    console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll(1);
  }
}

/** The children's environment: no owner connection or seed passwords, which the services do not need. */
function withoutOwnerSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const hidden = [
    "DATABASE_OWNER_URL",
    "SEED_ADMIN_PASSWORD",
    "SEED_RADIOLOGIST_PASSWORD",
    "SEED_ANNOTATOR_PASSWORD",
  ];
  return Object.fromEntries(Object.entries(env).filter(([name]) => !hidden.includes(name)));
}

void main();
