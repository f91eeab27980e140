// One DICOM frame as the platform shows it (8-bit, default or chosen window) and as its 16-bit master.
import { RejectedFileError } from "../errors";
import type { Grey16, Grey8 } from "../grey";
import type { Limits } from "../limits";
import { minMax, minMaxWindow, modalityValues, paddingMask, presentation8, type Voi } from "./lut";
import type { DicomObject } from "./parse";
import type { PixelModule } from "./pixel-module";
import { decodeFrame } from "./samples";

export interface WindowOption {
  center: number;
  width: number;
}

export interface RenderOptions {
  /** 0-based frame index */
  frame?: number;
  /** overrides the file's VOI, like dcmj2pnm's +Ww */
  window?: WindowOption;
  /** which stored window to use (0-based), like dcmj2pnm's +Wi (1-based) */
  windowIndex?: number;
  /** ignore stored windows and LUTs: span the frame's values, like dcmj2pnm's +Wm */
  minMax?: boolean;
  /** the pixel limit for decoding (default: defaultLimits) */
  limits?: Limits;
}

export interface RenderedFrame {
  frame: number;
  display: Grey8;
  /** the VOI used for `display`, described for people */
  voiDescription: string;
  /**
   * Modality values, MONOCHROME1 inverted so that brighter is denser, shifted so the darkest is 0; exactly the
   * modality values when `masterLossless` (integers spanning at most 65535), linearly scaled otherwise.
   */
  master: Grey16;
  masterLossless: boolean;
  /** `display`'s window expressed in master grey levels (null when a VOI LUT sequence, not a window, was used) */
  masterWindow: WindowOption | null;
}

export function chooseVoi(pm: PixelModule, options: RenderOptions, range: { min: number; max: number }): Voi {
  if (options.window) {
    if (!(options.window.width >= 1))
      throw new RejectedFileError("UNSUPPORTED", "a window width must be at least 1");
    return {
      kind: "window",
      ...options.window,
      fn: "LINEAR",
      source: `window ${options.window.center},${options.window.width} (given)`,
    };
  }
  if (options.minMax)
    return {
      kind: "window",
      ...minMaxWindow(range.min, range.max),
      fn: "LINEAR",
      source: "min-max of the pixel values",
    };
  const index = options.windowIndex ?? 0;
  const stored = pm.windows[index];
  if (stored) {
    const label = stored.explanation ? ` "${stored.explanation}"` : "";
    return {
      kind: "window",
      center: stored.center,
      width: stored.width,
      fn: pm.voiLutFunction,
      source: `stored window ${index + 1} of ${pm.windows.length}${label}`,
    };
  }
  if (options.windowIndex !== undefined && options.windowIndex > 0) {
    throw new RejectedFileError(
      "UNSUPPORTED",
      `the file has ${pm.windows.length} stored window(s), not ${index + 1}`,
    );
  }
  const lut = pm.voiLuts[0];
  if (lut) return { kind: "lut", lut, source: "VOI LUT sequence" };
  return {
    kind: "window",
    ...minMaxWindow(range.min, range.max),
    fn: "LINEAR",
    source: "min-max of the pixel values",
  };
}

export async function renderFrame(
  dicom: DicomObject,
  pm: PixelModule,
  options: RenderOptions = {},
): Promise<RenderedFrame> {
  const frame = options.frame ?? 0;
  const samples = await decodeFrame(dicom, pm, frame, options.limits);
  const mask = paddingMask(samples, pm);
  const values = modalityValues(samples, pm);
  const range = minMax(values, mask);
  const voi: Voi = samples.fromColour
    ? {
        kind: "window",
        ...minMaxWindow(0, 2 ** Math.min(pm.bitsStored, 16) - 1),
        fn: "LINEAR",
        source: "colour reduced to luminance",
      }
    : chooseVoi(pm, options, range);
  const size = { width: samples.width, height: samples.height };
  const display: Grey8 = { ...size, data: presentation8(values, voi, samples.inverted, mask) };

  const span = range.max - range.min;
  const integral = values.every((v) => Number.isInteger(v));
  const masterLossless = integral && span <= 65535;
  const scale = masterLossless || span === 0 ? 1 : 65535 / span;
  const data = new Uint16Array(values.length);
  for (let i = 0; i < data.length; i++) {
    if (mask?.[i]) continue;
    const v = values[i] ?? 0;
    data[i] = Math.round((samples.inverted ? range.max - v : v - range.min) * scale);
  }
  let masterWindow: WindowOption | null = null;
  if (voi.kind === "window") {
    // for MONOCHROME1 the inverted linear window in master units is centred at max - c + 1 (see applyVoi)
    const center = samples.inverted ? range.max - voi.center + 1 : voi.center - range.min;
    masterWindow = { center: center * scale, width: voi.width * scale };
  }
  return {
    frame,
    display,
    voiDescription: voi.source,
    master: { ...size, data },
    masterLossless,
    masterWindow,
  };
}
