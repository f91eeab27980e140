// The web app's only reader of process.env. Parsed lazily on first use at request time, because
// `next build` runs without these variables and must not fail on them.
import "server-only";
import { storageEnvSchema } from "@cxr/storage";
import { z } from "zod";

const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : s))
  .optional();

const schema = z
  .object({
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
    NEXTAUTH_SECRET: z.string().min(16, "NEXTAUTH_SECRET must be at least 16 characters"),
    NEXTAUTH_URL: z.url().optional(),
    INFERENCE_URL: z.url().default("http://127.0.0.1:4000"),
    INFERENCE_TOKEN: z.string().min(1),
    OIDC_ISSUER: z.url().optional(),
    OIDC_CLIENT_ID: optionalText,
    OIDC_CLIENT_SECRET: optionalText,
    OIDC_NAME: z.string().min(1).default("Hospital SSO"),
    /** comma-separated e-mail domains single sign-on may link accounts from; unset: any */
    OIDC_EMAIL_DOMAINS: z
      .string()
      .default("")
      .transform((s) =>
        s
          .split(",")
          .map((d) => d.trim().toLowerCase().replace(/^@/, ""))
          .filter((d) => d !== ""),
      )
      .pipe(z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, "an e-mail domain like hospital.org"))),
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    /** largest file the browser may upload; the request is streamed to disk, one file is in memory at a time */
    UPLOAD_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(256 * 1024 * 1024),
    // where image bytes are stored (STORAGE_URL, S3_*): the same settings as the importers and the CLI
    ...storageEnvSchema.shape,
  })
  .transform(
    ({ OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME, OIDC_EMAIL_DOMAINS, ...rest }) => ({
      ...rest,
      // SSO is all-or-nothing: a half-configured provider would only produce confusing errors at sign-in
      oidc:
        OIDC_ISSUER && OIDC_CLIENT_ID && OIDC_CLIENT_SECRET
          ? {
              issuer: OIDC_ISSUER,
              clientId: OIDC_CLIENT_ID,
              clientSecret: OIDC_CLIENT_SECRET,
              name: OIDC_NAME,
              emailDomains: OIDC_EMAIL_DOMAINS,
            }
          : null,
    }),
  );

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** The validated environment; throws one readable error listing every problem. */
export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid environment for the web app:\n${z.prettifyError(parsed.error)}`);
  }
  cached = parsed.data;
  return cached;
}

/** how long a case served by the unassigned queue stays leased to its reader without a renewal */
const reviewLeaseSchema = z.object({
  REVIEW_LEASE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
});
let leaseSeconds: number | undefined;

/** REVIEW_LEASE_SECONDS alone, so the review API needs no database or inference settings to read it. */
export function reviewLeaseSeconds(): number {
  if (leaseSeconds !== undefined) return leaseSeconds;
  const parsed = reviewLeaseSchema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid environment for the web app:\n${z.prettifyError(parsed.error)}`);
  }
  leaseSeconds = parsed.data.REVIEW_LEASE_SECONDS;
  return leaseSeconds;
}

const pacsSchema = z.object({
  PACS_DICOMWEB_URL: z
    .url()
    .optional()
    .or(z.literal("").transform(() => undefined)),
});

/** PACS_DICOMWEB_URL alone (the PACS that "Send to PACS" stores SR and SEG objects in), read on each use. */
export function pacsDicomwebUrl(): string | undefined {
  const parsed = pacsSchema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid environment for the web app:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data.PACS_DICOMWEB_URL;
}
