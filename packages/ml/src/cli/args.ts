// Argument parsing for the CLI: node's parseArgs (strict: unknown flags are errors) then a zod schema per
// command, so every bad input ends as one readable line.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { z } from "zod";

export class UsageError extends Error {}

export function parseCommand<S extends z.ZodType>(
  argv: string[],
  options: NonNullable<ParseArgsConfig["options"]>,
  schema: S,
): z.infer<S> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split("\n")[0] : String(error));
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = issue?.path[0] !== undefined ? `--${String(issue.path[0])}` : "arguments";
    throw new UsageError(`${flag}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data as z.infer<S>;
}

export const intFlag = (min: number) =>
  z
    .string()
    .regex(/^-?\d+$/, "must be an integer")
    .transform(Number)
    .pipe(z.number().int().min(min));

export const numberFlag = (min: number, max: number) =>
  z
    .string()
    .refine((s) => s.trim() !== "" && Number.isFinite(Number(s)), "must be a number")
    .transform(Number)
    .pipe(z.number().min(min).max(max));

export const pathFlag = (what: string) =>
  z.string({ error: `is required (${what})` }).min(1, `is required (${what})`);

/** parseArgs options for flags that each take one string (the schema then parses it). */
export const stringFlags = (...names: string[]): NonNullable<ParseArgsConfig["options"]> =>
  Object.fromEntries(names.map((name) => [name, { type: "string" as const }]));
