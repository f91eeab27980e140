// The bench scripts' flags: each a whole number >= 0 with a default (`--readers 30`); anything else stops the
// script with a clear message before it starts any work.
import { parseArgs } from "node:util";
import { z } from "zod";

export function numberFlags<K extends string>(defaults: Record<K, number>): Record<K, number> {
  const names = Object.keys(defaults) as K[];
  const { values } = parseArgs({
    options: Object.fromEntries(names.map((k) => [k, { type: "string" as const }])),
  });
  const flag = z.coerce.number().int().min(0);
  return Object.fromEntries(
    names.map((k) => {
      const raw = values[k];
      const parsed = flag.safeParse(raw ?? defaults[k]);
      if (!parsed.success) throw new Error(`--${k} must be a whole number >= 0, not ${String(raw)}`);
      return [k, parsed.data];
    }),
  ) as Record<K, number>;
}
