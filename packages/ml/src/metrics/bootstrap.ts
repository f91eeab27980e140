// Percentile bootstrap confidence intervals. With groups (patient ids) whole patients are resampled, since
// images of one patient are not independent.
import { createRng } from "../rng";

export interface Interval {
  lower: number;
  upper: number;
}

export interface BootstrapOptions {
  iterations?: number;
  /** 0.95 gives the 2.5th and 97.5th percentiles */
  level?: number;
  seed?: number;
  /** one group id per example: resample groups instead of examples */
  groups?: readonly string[];
}

/** The q-quantile of sorted values, linear interpolation (numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/**
 * Confidence intervals for several statistics computed on the same resamples. `statistics` maps a list of
 * example indices to named values; values that are null or NaN on a resample are left out of that interval.
 */
export function bootstrap<K extends string>(
  n: number,
  statistics: (indices: number[]) => Record<K, number | null>,
  options: BootstrapOptions = {},
): Record<K, Interval | null> {
  const iterations = options.iterations ?? 1000;
  const level = options.level ?? 0.95;
  const rng = createRng(options.seed ?? 42);
  const clusters: number[][] = [];
  if (options.groups) {
    const byGroup = new Map<string, number[]>();
    options.groups.forEach((g, i) => byGroup.set(g, [...(byGroup.get(g) ?? []), i]));
    clusters.push(...byGroup.values());
  } else {
    for (let i = 0; i < n; i++) clusters.push([i]);
  }
  const samples = new Map<K, number[]>();
  for (let it = 0; it < iterations; it++) {
    const indices: number[] = [];
    for (let c = 0; c < clusters.length; c++)
      indices.push(...(clusters[rng.int(clusters.length)] as number[]));
    const values = statistics(indices);
    for (const key of Object.keys(values) as K[]) {
      const v = values[key];
      if (!samples.has(key)) samples.set(key, []);
      if (v !== null && Number.isFinite(v)) samples.get(key)?.push(v);
    }
  }
  const out = {} as Record<K, Interval | null>;
  for (const [key, values] of samples) {
    values.sort((a, b) => a - b);
    out[key] =
      values.length === 0
        ? null
        : { lower: quantile(values, (1 - level) / 2), upper: quantile(values, 1 - (1 - level) / 2) };
  }
  return out;
}
