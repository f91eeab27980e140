// Runs the dependency rule (rules.ts) over a tree with dependency-cruiser and returns what breaks it.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cruise, type ICruiseResult, type IViolation } from "dependency-cruiser";
import { dependencyRules, temporaryExemptions } from "./rules";

/** The folders that hold workspaces, relative to the root. */
export const workspaceFolders = ["apps", "packages", "tooling"];

export interface CheckOptions {
  /** the repository (or a test's tree) to check; the rules' paths are relative to it */
  root: string;
  /** files or folders under `root` to start from */
  paths?: string[];
  /** import aliases (tsconfig `paths`, like web's `~/`) and the folder under `root` each stands for */
  aliases?: Record<string, string>;
  /** existing violations let through (see rules.ts) */
  exemptions?: typeof temporaryExemptions;
}

/** The violations of the dependency rule under `root`, exempted ones left out. */
export async function findViolations(options: CheckOptions): Promise<IViolation[]> {
  const { root, paths = workspaceFolders, aliases = {}, exemptions = temporaryExemptions } = options;
  const alias = Object.fromEntries(
    Object.entries(aliases).map(([name, folder]) => [name, path.resolve(root, folder)]),
  );
  const result = await cruise(
    paths,
    {
      baseDir: root,
      validate: true,
      ruleSet: { forbidden: dependencyRules },
      knownViolations: exemptions,
      // type-only imports count: `import type` from a forbidden layer couples the two as much as a value
      tsPreCompilationDeps: true,
      // libraries are not cruised, but imports of them stay: the contracts' rule is about them
      doNotFollow: { path: "node_modules" },
      // build output and generated code are not ours to check
      exclude: { path: "(^|/)(\\.next|dist|\\.turbo|generated|test-results|playwright-report)/" },
      // resolve workspace packages by their package.json `exports`, as TypeScript and the bundlers do
      enhancedResolveOptions: {
        exportsFields: ["exports"],
        conditionNames: ["types", "import", "require", "node", "default"],
        mainFields: ["types", "module", "main"],
      },
    },
    { alias },
  );
  const output = result.output as ICruiseResult;
  return output.summary.violations.filter((v) => v.rule.severity !== "ignore");
}

/** This repository's violations: every workspace, with web's `~/` alias (the only tsconfig `paths` here). */
export function checkRepository(): Promise<IViolation[]> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
  return findViolations({ root, aliases: { "~": "apps/web/src" } });
}

/** One line per violation: the rule, and which file imports which (and how the import was written). */
export function describeViolation(v: IViolation): string {
  const written = v.unresolvedTo && v.unresolvedTo !== v.to ? ` ("${v.unresolvedTo}")` : "";
  return `${v.rule.name}: ${v.from} -> ${v.to}${written}`;
}
