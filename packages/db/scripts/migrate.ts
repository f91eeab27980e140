// `npm run deploy:migrate`: a deployment's one-shot database step (compose's `migrate` service; `npm start`
// does the same by itself). Connected as DATABASE_OWNER_URL's role: applies the migrations, creates or updates
// DATABASE_URL's role (the services' least-privilege login) with its grants, then seeds the label sets and
// the users whose SEED_*_PASSWORD is set.
import { z } from "zod";
import { createDb } from "../src/client";
import { prepareDatabase } from "../src/migrate";
import { demoUserTemplates, seed } from "../src/seed";

const password = z.string().min(8, "must be at least 8 characters").optional();
const envSchema = z.object({
  /** the services' connection; its role is created here */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  /** the owner's; without it DATABASE_URL's role runs the migrations and owns the tables (no separation) */
  DATABASE_OWNER_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  SEED_ADMIN_PASSWORD: password,
  SEED_RADIOLOGIST_PASSWORD: password,
  SEED_ANNOTATOR_PASSWORD: password,
});

const parsed = envSchema.safeParse(
  Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== "")),
);
if (!parsed.success) {
  console.error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
  process.exit(2);
}
const env = parsed.data;
const ownerUrl = env.DATABASE_OWNER_URL ?? env.DATABASE_URL;
const seedPasswords = {
  ADMIN: env.SEED_ADMIN_PASSWORD,
  RADIOLOGIST: env.SEED_RADIOLOGIST_PASSWORD,
  ANNOTATOR: env.SEED_ANNOTATOR_PASSWORD,
};

try {
  const { applied, appRole } = await prepareDatabase(ownerUrl, env.DATABASE_URL);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Migrations: up to date.");
  console.log(
    appRole
      ? `Services' role ${appRole}: grants up to date.`
      : "DATABASE_URL is the owner's connection: the services will own the tables (set DATABASE_OWNER_URL to separate them).",
  );
  const users = demoUserTemplates.flatMap((u) => {
    const given = seedPasswords[u.role];
    return given ? [{ ...u, password: given }] : [];
  });
  const db = createDb(ownerUrl, { max: 2 });
  try {
    await seed(db, users, { demoCampaign: false });
  } finally {
    await db.$disconnect();
  }
  console.log(`Seeded the label sets and ${users.map((u) => u.email).join(", ") || "no user"}.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
