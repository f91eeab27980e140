// Secrets the platform needs on a developer machine. Each comes from the environment when set; otherwise it
// is generated once and kept in DATA_DIR/secrets.json (mode 0600), so restarts keep sessions and passwords.
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { StackConfig } from "./config";

const storedSchema = z.object({
  /** the embedded PostgreSQL's superuser, which owns the tables */
  postgresPassword: z.string(),
  /** the services' least-privilege database role; files written before it existed get one added */
  appDatabasePassword: z.string().optional(),
  inferenceToken: z.string(),
  nextauthSecret: z.string(),
  seedPasswords: z.object({ ADMIN: z.string(), RADIOLOGIST: z.string(), ANNOTATOR: z.string() }),
});
type Stored = z.infer<typeof storedSchema>;
export type Secrets = Required<Stored>;
export type SecretSource = "environment" | "generated";

export interface LoadedSecrets {
  secrets: Secrets;
  seedPasswordSource: Record<keyof Secrets["seedPasswords"], SecretSource>;
  /** where the generated secrets are kept */
  file: string;
  /** true when this start generated them: the only time the generated passwords are shown */
  created: boolean;
}

const token = (bytes: number) => randomBytes(bytes).toString("base64url");

export async function loadSecrets(config: StackConfig): Promise<LoadedSecrets> {
  const file = path.join(config.DATA_DIR, "secrets.json");
  let stored: Stored;
  let created = false;
  try {
    stored = storedSchema.parse(JSON.parse(await readFile(file, "utf8")));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new Error(
        `${file} is unreadable (${(error as Error).message}); delete it to generate new secrets`,
      );
    }
    stored = {
      postgresPassword: token(18),
      inferenceToken: token(32),
      nextauthSecret: token(32),
      seedPasswords: { ADMIN: token(12), RADIOLOGIST: token(12), ANNOTATOR: token(12) },
    };
    created = true;
  }
  const appDatabasePassword = stored.appDatabasePassword ?? token(18);
  if (created || !stored.appDatabasePassword) {
    await mkdir(config.DATA_DIR, { recursive: true });
    await writeFile(file, JSON.stringify({ ...stored, appDatabasePassword }, null, 2) + "\n", {
      mode: 0o600,
    });
    await chmod(file, 0o600);
  }
  const fromEnv = {
    ADMIN: config.SEED_ADMIN_PASSWORD,
    RADIOLOGIST: config.SEED_RADIOLOGIST_PASSWORD,
    ANNOTATOR: config.SEED_ANNOTATOR_PASSWORD,
  };
  const source = (v: string | undefined): SecretSource => (v ? "environment" : "generated");
  return {
    secrets: {
      postgresPassword: stored.postgresPassword,
      appDatabasePassword,
      inferenceToken: config.INFERENCE_TOKEN ?? stored.inferenceToken,
      nextauthSecret: config.NEXTAUTH_SECRET ?? stored.nextauthSecret,
      seedPasswords: {
        ADMIN: fromEnv.ADMIN ?? stored.seedPasswords.ADMIN,
        RADIOLOGIST: fromEnv.RADIOLOGIST ?? stored.seedPasswords.RADIOLOGIST,
        ANNOTATOR: fromEnv.ANNOTATOR ?? stored.seedPasswords.ANNOTATOR,
      },
    },
    seedPasswordSource: {
      ADMIN: source(fromEnv.ADMIN),
      RADIOLOGIST: source(fromEnv.RADIOLOGIST),
      ANNOTATOR: source(fromEnv.ANNOTATOR),
    },
    file,
    created,
  };
}
