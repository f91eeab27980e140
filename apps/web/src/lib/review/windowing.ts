// Window/level on the displayed grey values (0..255): presets, right-drag adjustment and the lookup table.
export interface Window {
  center: number;
  width: number;
}

export interface WindowPreset extends Window {
  id: string;
  label: string;
}

export const defaultWindow: Window = { center: 127.5, width: 255 };

/**
 * The built-in presets plus the image's stored window, when it has one. The stored window is in the 16-bit
 * master's grey levels (see @cxr/imaging's prepare); the browser decodes the master to 8 bits.
 */
export function windowPresets(stored: {
  windowCenter: number | null;
  windowWidth: number | null;
}): WindowPreset[] {
  const presets: WindowPreset[] = [
    { id: "default", label: "Default", ...defaultWindow },
    // lung: narrow window low in the range, so parenchyma detail stands out
    { id: "lung", label: "Lung", center: 85, width: 150 },
    { id: "bone", label: "Bone / soft tissue", center: 170, width: 140 },
  ];
  if (stored.windowCenter !== null && stored.windowWidth !== null) {
    const scale = 255 / 65535;
    presets.push({
      id: "stored",
      label: "Stored (DICOM)",
      center: stored.windowCenter * scale,
      width: Math.max(1, stored.windowWidth * scale),
    });
  }
  return presets;
}

/** Right-drag: horizontal changes the width, vertical the level (the usual PACS convention). */
export function dragWindow(start: Window, dx: number, dy: number): Window {
  return {
    center: Math.min(255, Math.max(0, start.center + dy * 0.5)),
    width: Math.min(512, Math.max(1, start.width + dx)),
  };
}

/** Output grey for each input grey 0..255. */
export function windowLut(w: Window, invert: boolean): Uint8Array {
  const lut = new Uint8Array(256);
  const low = w.center - w.width / 2;
  for (let v = 0; v < 256; v++) {
    const out = Math.round(Math.min(1, Math.max(0, (v - low) / w.width)) * 255);
    lut[v] = invert ? 255 - out : out;
  }
  return lut;
}

/** Greys through the lookup table: `src` and `out` are RGBA pixels, the grey read from `src`'s red channel. */
export function applyWindowLut(src: Uint8ClampedArray, out: Uint8ClampedArray, lut: Uint8Array): void {
  for (let i = 0; i < src.length; i += 4) {
    const v = lut[src[i]!]!;
    out[i] = v;
    out[i + 1] = v;
    out[i + 2] = v;
    out[i + 3] = 255;
  }
}

/** The default window, not inverted, maps every grey to itself: the decoded image can be drawn as it is. */
export const isIdentityWindow = (w: Window, invert: boolean) =>
  !invert && w.center === defaultWindow.center && w.width === defaultWindow.width;
