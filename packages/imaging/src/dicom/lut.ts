// The grayscale pipeline of PS3.3 C.11: stored value -> Modality LUT -> VOI LUT -> presentation (MONOCHROME1
// inverted). Formulas follow the standard (C.11.2.1.2), which is also what DCMTK's dcmj2pnm implements.
import type { Lut, PixelModule } from "./pixel-module";
import type { FrameSamples } from "./samples";

export type VoiLutFunction = "LINEAR" | "LINEAR_EXACT" | "SIGMOID";

export type Voi =
  | { kind: "window"; center: number; width: number; fn: VoiLutFunction; source: string }
  | { kind: "lut"; lut: Lut; source: string };

/** Pixels that are padding (outside the patient), per Pixel Padding Value / Range Limit on stored values. */
export function paddingMask(samples: FrameSamples, pm: PixelModule): Uint8Array | undefined {
  if (pm.paddingValue === undefined || samples.fromColour) return undefined;
  const low = Math.min(pm.paddingValue, pm.paddingRangeLimit ?? pm.paddingValue);
  const high = Math.max(pm.paddingValue, pm.paddingRangeLimit ?? pm.paddingValue);
  const mask = new Uint8Array(samples.values.length);
  let any = false;
  for (let i = 0; i < mask.length; i++) {
    const v = samples.values[i] ?? 0;
    if (v >= low && v <= high) {
      mask[i] = 1;
      any = true;
    }
  }
  return any ? mask : undefined;
}

/** Modality LUT: Rescale Slope/Intercept, or the Modality LUT Sequence where present. */
export function modalityValues(samples: FrameSamples, pm: PixelModule): Float64Array {
  const out = new Float64Array(samples.values.length);
  if (samples.fromColour) {
    out.set(samples.values);
    return out;
  }
  if (pm.modalityLut) {
    for (let i = 0; i < out.length; i++) out[i] = lookUp(pm.modalityLut, samples.values[i] ?? 0);
    return out;
  }
  const { rescaleSlope: slope, rescaleIntercept: intercept } = pm;
  for (let i = 0; i < out.length; i++) out[i] = (samples.values[i] ?? 0) * slope + intercept;
  return out;
}

export function lookUp(lut: Lut, x: number): number {
  const index = Math.min(Math.max(Math.round(x) - lut.firstMapped, 0), lut.data.length - 1);
  return lut.data[index] ?? 0;
}

export function minMax(values: Float64Array, mask?: Uint8Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (mask?.[i]) continue;
    const v = values[i] ?? 0;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) return { min: 0, max: 0 };
  return { min, max };
}

/** The window DCMTK's "min-max" VOI computes: it spans every value present. */
export function minMaxWindow(min: number, max: number): { center: number; width: number } {
  return { center: (min + max + 1) / 2, width: max - min + 1 };
}

/** Output in [0, 1] for one modality value. */
export function applyVoi(voi: Voi, x: number): number {
  if (voi.kind === "lut") {
    const top = 2 ** voi.lut.bits - 1;
    return Math.min(1, lookUp(voi.lut, x) / top);
  }
  const { center: c, width: w } = voi;
  switch (voi.fn) {
    case "LINEAR": {
      if (w <= 1) return x <= c - 0.5 ? 0 : 1;
      if (x <= c - 0.5 - (w - 1) / 2) return 0;
      if (x > c - 0.5 + (w - 1) / 2) return 1;
      return (x - (c - 0.5)) / (w - 1) + 0.5;
    }
    case "LINEAR_EXACT": {
      if (x <= c - w / 2) return 0;
      if (x > c + w / 2) return 1;
      return (x - c) / w + 0.5;
    }
    case "SIGMOID":
      return 1 / (1 + Math.exp((-4 * (x - c)) / w));
  }
}

/** 8-bit presentation values; padding shown black, MONOCHROME1 inverted. */
export function presentation8(
  values: Float64Array,
  voi: Voi,
  inverted: boolean,
  mask?: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < out.length; i++) {
    if (mask?.[i]) continue;
    const y = Math.round(applyVoi(voi, values[i] ?? 0) * 255);
    out[i] = inverted ? 255 - y : y;
  }
  return out;
}
