// docker-compose.yml against docker-compose itself and against the README: every variable a service built from
// this repository sets is in the Configuration table with that service in its "used by" column, every variable
// the file reads from the operator's environment is in the Deployment section, secrets have no defaults, and
// the inference service can be scaled.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { repoRoot } from "../src/config";

const composeFile = path.join(repoRoot, "docker-compose.yml");

/** The markdown of `## heading` up to the next second-level heading. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  expect(start, `README section "${heading}"`).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf("\n## ", start + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
}

const variableNames = (text: string) => [...text.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!);

/** Configuration table: variable name -> the "used by" column's names. */
function configurationTable(markdown: string): Map<string, string[]> {
  const table = new Map<string, string[]>();
  for (const line of section(markdown, "Configuration").split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    // | variables | used by | meaning | default |
    if (cells.length < 6 || !cells[1]?.startsWith("`")) continue;
    const usedBy = cells[2]!.split(",").map((name) => name.trim());
    for (const name of variableNames(cells[1])) table.set(name, usedBy);
  }
  return table;
}

const composeSchema = z.object({
  services: z.record(
    z.string(),
    z.object({
      build: z.unknown().optional(),
      environment: z.record(z.string(), z.string().nullable()).default({}),
      container_name: z.string().optional(),
      ports: z.array(z.unknown()).optional(),
      restart: z.string().optional(),
      healthcheck: z.object({ test: z.array(z.string()) }).optional(),
      depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
    }),
  ),
});
type Compose = z.infer<typeof composeSchema>;

let emptyEnvFile: string;
/** `docker-compose config` of the file, with `env` as the whole environment (an empty .env file). */
async function composeConfig(env: Record<string, string>): Promise<string> {
  const { stdout } = await promisify(execFile)(
    "docker-compose",
    ["-f", composeFile, "--env-file", emptyEnvFile, "config"],
    { cwd: repoRoot, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env } },
  );
  return stdout;
}

let raw: string;
let readme: string;
let compose: Compose;
/** the variables the file reads from the operator's environment (`${NAME...}`; `$$NAME` is the container's) */
let inputs: string[];
beforeAll(async () => {
  emptyEnvFile = path.join(await mkdtemp(path.join(os.tmpdir(), "cxr-compose-")), ".env");
  await writeFile(emptyEnvFile, "");
  raw = await readFile(composeFile, "utf8");
  readme = await readFile(path.join(repoRoot, "README.md"), "utf8");
  inputs = [...new Set([...raw.matchAll(/(?<!\$)\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!))];
  // the required ones (`${NAME:?message}`); the others keep their defaults
  const required = [...raw.matchAll(/(?<!\$)\$\{([A-Z][A-Z0-9_]*):?\?/g)].map((m) => m[1]!);
  const dummies = Object.fromEntries(required.map((name) => [name, `value-of-${name.toLowerCase()}`]));
  compose = composeSchema.parse(parse(await composeConfig(dummies)));
});

afterAll(() => rm(path.dirname(emptyEnvFile), { recursive: true, force: true }));

describe("docker-compose.yml", () => {
  it("is accepted by docker-compose, and refuses to run without its secrets", async () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ["inference", "migrate", "minio", "minio-init", "postgres", "web"].sort(),
    );
    await expect(composeConfig({})).rejects.toThrow(/set [A-Z_]+/);
  });

  it("sets only variables the README's Configuration table documents for that service", () => {
    const documented = configurationTable(readme);
    expect(documented.size).toBeGreaterThan(20);
    const ours = Object.entries(compose.services).filter(([, service]) => service.build);
    expect(ours.map(([name]) => name).sort()).toEqual(["inference", "migrate", "web"]);
    const problems: string[] = [];
    for (const [name, service] of ours) {
      for (const variable of Object.keys(service.environment)) {
        const usedBy = documented.get(variable);
        if (!usedBy) problems.push(`${name} sets ${variable}, which the Configuration table lacks`);
        else if (!usedBy.includes(name))
          problems.push(`${name} sets ${variable}, whose "used by" says ${usedBy.join(", ")}`);
      }
    }
    expect(problems).toEqual([]);
    const consumers = new Set(["stack", "migrate", "web", "inference", "ingest", "ml", "tests"]);
    expect([...documented.values()].flat().filter((name) => !consumers.has(name))).toEqual([]);
  });

  it("reads only variables the README's Deployment section explains", () => {
    const explained = new Set(variableNames(section(readme, "Deployment")));
    expect(inputs.length).toBeGreaterThan(5);
    expect(inputs.filter((name) => !explained.has(name))).toEqual([]);
  });

  it("gives the services the least-privilege database role and the owner's to `migrate` only", () => {
    const { services } = compose;
    for (const name of ["web", "inference"]) {
      expect(services[name]!.environment.DATABASE_URL).toMatch(/^postgresql:\/\/cxr_app:/);
      expect(services[name]!.environment).not.toHaveProperty("DATABASE_OWNER_URL");
    }
    expect(services.migrate!.environment.DATABASE_OWNER_URL).toMatch(/^postgresql:\/\/cxr:/);
    expect(services.migrate!.environment.DATABASE_URL).toBe(services.web!.environment.DATABASE_URL);
  });

  it("shares one object store between the web app and the inference service", () => {
    const { web, inference } = compose.services;
    for (const variable of ["STORAGE_URL", "S3_ENDPOINT", "S3_ACCESS_KEY_ID"]) {
      expect(web!.environment[variable]).toBeTruthy();
      expect(web!.environment[variable]).toBe(inference!.environment[variable]);
    }
    expect(web!.environment.STORAGE_URL).toMatch(/^s3:\/\//);
  });

  it("checks the health of every long-running service and starts the services after `migrate`", () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.restart === "no") continue;
      expect(service.healthcheck?.test.length, `${name} has a health check`).toBeGreaterThan(0);
    }
    for (const name of ["web", "inference"]) {
      expect(compose.services[name]!.depends_on?.migrate?.condition).toBe("service_completed_successfully");
    }
  });

  it("lets the inference service scale: no fixed container name or host port", () => {
    const { inference, web } = compose.services;
    expect(inference!.container_name).toBeUndefined();
    expect(inference!.ports).toBeUndefined();
    expect(web!.environment.INFERENCE_URL).toBe("http://inference:4000");
  });
});
