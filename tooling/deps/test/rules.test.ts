// The dependency rule on a small monorepo made for the test (one deliberately wrong import per rule, next to
// allowed ones), then on this repository, which must pass.
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRepository, describeViolation, findViolations } from "../src/check";

let root: string;

/** Writes `files` (path -> content) under the tree's root. */
async function write(files: Record<string, string>) {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
}

/** A workspace package as npm links it: its package.json (exports its src/index.ts) and node_modules entry. */
async function workspace(folder: string, name: string) {
  await write({
    [`${folder}/package.json`]: JSON.stringify({
      name,
      type: "module",
      exports: { ".": "./src/index.ts", "./client": "./src/client.ts" },
    }),
    [`${folder}/src/index.ts`]: "export const value = 1;\nexport type Value = number;\n",
    [`${folder}/src/client.ts`]: "export const client = 1;\n",
  });
  const link = path.join(root, "node_modules", name);
  await mkdir(path.dirname(link), { recursive: true });
  await symlink(path.relative(path.dirname(link), path.join(root, folder)), link);
}

/** A third-party library in node_modules. */
async function library(name: string) {
  await write({
    [`node_modules/${name}/package.json`]: JSON.stringify({ name, main: "index.js" }),
    [`node_modules/${name}/index.js`]: "module.exports = {};\n",
  });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "cxr-deps-rule-"));
  for (const [folder, name] of [
    ["packages/db", "@cxr/db"],
    ["packages/domain", "@cxr/domain"],
    ["packages/ui", "@cxr/ui"],
    ["packages/ml", "@cxr/ml"],
    ["packages/imaging", "@cxr/imaging"],
    ["packages/ingest", "@cxr/ingest"],
    ["packages/agreement", "@cxr/agreement"],
    ["packages/dicom-export", "@cxr/dicom-export"],
    ["apps/web", "@cxr/web"],
    ["apps/inference", "@cxr/inference"],
  ])
    await workspace(folder!, name!);
  for (const name of ["react", "zod", "@tensorflow/tfjs", "@prisma/client"]) await library(name);
  await write({
    // allowed: an app on packages, packages on domain and on each other, a package on a library
    "apps/web/src/ok.ts":
      'import { value } from "@cxr/db";\nimport "@cxr/ui";\nimport "@cxr/domain";\nimport "./local";\nexport { value };\n',
    "apps/web/src/local.ts": "export {};\n",
    "packages/ui/src/ok.ts": 'import "react";\nimport "@cxr/domain";\n',
    "packages/ingest/src/ok.ts": 'import "@cxr/db";\nimport "@cxr/imaging";\nimport "@cxr/domain";\n',
    "packages/domain/src/ok.ts": 'import "zod";\nimport "./index";\n',
    // forbidden, one per rule, written in the ways an import can hide
    "packages/ui/src/bad.ts": 'import { value } from "@cxr/db";\nexport const v = value;\n',
    "packages/ml/src/bad.ts": 'import type { Value } from "@cxr/db";\nexport type V = Value;\n',
    "packages/domain/src/bad-db.ts": 'export { value } from "@cxr/db";\n',
    "packages/domain/src/bad-react.ts": 'import "react";\n',
    "packages/domain/src/bad-tfjs.ts": 'import "@tensorflow/tfjs";\n',
    "packages/domain/src/bad-prisma.ts": 'import type {} from "@prisma/client";\n',
    "packages/imaging/src/bad.ts": 'export { value } from "../../../apps/web/src/ok";\n',
    "packages/ingest/src/bad.ts": 'import { client } from "@cxr/inference/client";\nexport { client };\n',
    "apps/web/src/bad.ts": 'import { client } from "@cxr/inference/client";\nexport { client };\n',
    "apps/inference/src/bad.ts": 'export const load = () => import("@cxr/web");\n',
    "packages/db/src/bad.ts": 'import "./missing";\n',
    "packages/agreement/src/bad.ts": 'import "@cxr/db";\n',
    "packages/agreement/src/bad-react.ts": 'import "react";\n',
    "packages/dicom-export/src/ok.ts": 'import "@cxr/imaging";\nimport "@cxr/domain";\n',
    "packages/dicom-export/src/bad.ts": 'import "@cxr/db";\n',
  });
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe("the dependency rule", () => {
  it("fails each deliberately wrong import and passes the allowed ones", async () => {
    const found = (await findViolations({ root, paths: ["apps", "packages"], exemptions: [] })).map(
      (v) => `${v.rule.name}: ${v.from}`,
    );
    expect(found.sort()).toEqual(
      [
        "ui-imports-db: packages/ui/src/bad.ts",
        "ml-imports-db: packages/ml/src/bad.ts",
        "domain-imports-a-workspace: packages/domain/src/bad-db.ts",
        "domain-imports-a-heavy-runtime: packages/domain/src/bad-react.ts",
        "domain-imports-a-heavy-runtime: packages/domain/src/bad-tfjs.ts",
        "domain-imports-a-heavy-runtime: packages/domain/src/bad-prisma.ts",
        "package-imports-an-app: packages/imaging/src/bad.ts",
        "package-imports-an-app: packages/ingest/src/bad.ts",
        "app-imports-another-app: apps/web/src/bad.ts",
        "app-imports-another-app: apps/inference/src/bad.ts",
        "unresolvable: packages/db/src/bad.ts",
        "agreement-imports-a-workspace-or-runtime: packages/agreement/src/bad.ts",
        "agreement-imports-a-workspace-or-runtime: packages/agreement/src/bad-react.ts",
        "dicom-export-imports-db-or-runtime: packages/dicom-export/src/bad.ts",
      ].sort(),
    );
  });

  it("lets an exempted import through, and only that one", async () => {
    const exemption = {
      type: "dependency" as const,
      from: "apps/web/src/bad.ts",
      to: "apps/inference/src/client.ts",
      rule: { name: "app-imports-another-app", severity: "error" as const },
    };
    const found = await findViolations({ root, paths: ["apps", "packages/ingest"], exemptions: [exemption] });
    expect(found.map(describeViolation).sort()).toEqual([
      'app-imports-another-app: apps/inference/src/bad.ts -> apps/web/src/index.ts ("@cxr/web")',
      'package-imports-an-app: packages/ingest/src/bad.ts -> apps/inference/src/client.ts ("@cxr/inference/client")',
    ]);
  });

  it("passes on this repository", async () => {
    expect((await checkRepository()).map(describeViolation)).toEqual([]);
  });
});
