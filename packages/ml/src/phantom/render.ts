// Renders one phantom radiograph and its lesion mask: anatomy, lesions, then per-image pose, exposure and noise.
import { type GrayImage, grayImage } from "../image/gray-image";
import { type Rng } from "../rng";
import { type Anatomy, anatomyValue, lungField } from "./anatomy";
import { type Blob, blobShape, blobTexture, maskThreshold } from "./lesions";

export interface RenderedPhantom {
  image: GrayImage;
  /** 1 inside a lesion, 0 elsewhere (all 0 for normal) */
  mask: GrayImage;
}

/** How a style turns attenuation into grey values (the detector's curve) and what its noise is like. */
export interface ExposureLook {
  /** "gamma": a power curve; "film": an S-shaped characteristic curve (toe and shoulder) */
  curve: "gamma" | "film";
  /** "gaussian": the same everywhere; "quantum": grows with the signal (photon counts), with film grain */
  noise: "gaussian" | "quantum";
}

export const classicExposure: ExposureLook = { curve: "gamma", noise: "gaussian" };

/** the film curve: a logistic of this slope, about this attenuation, rescaled to [0, 1] over [0, 1] */
const filmSlope = 6;
const filmMid = 0.38;
const logistic = (t: number) => 1 / (1 + Math.exp(-filmSlope * (t - filmMid)));
const [filmLo, filmHi] = [logistic(0), logistic(1)];

export function renderPhantom(
  anatomy: Anatomy,
  blobs: readonly Blob[],
  size: number,
  rng: Rng,
  look: ExposureLook = classicExposure,
  height = size,
): RenderedPhantom {
  const width = size;
  const image = grayImage(width, height);
  const mask = grayImage(width, height);
  // per-image pose: patients never stand exactly the same way twice
  const theta = (rng.uniform(-3, 3) * Math.PI) / 180;
  const scale = rng.uniform(0.97, 1.03);
  const shiftU = rng.uniform(-0.015, 0.015);
  const shiftV = rng.uniform(-0.015, 0.015);
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const contrast = rng.uniform(0.85, 1.15);
  const brightness = rng.uniform(-0.04, 0.04);
  const gamma = rng.uniform(0.85, 1.15);
  const noise = rng.uniform(0.01, 0.025);
  const mottle = Array.from({ length: 6 }, () => ({
    u: rng.next(),
    v: rng.next(),
    r: rng.uniform(0.1, 0.2),
    a: rng.uniform(-0.02, 0.02),
  }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u0 = (x + 0.5) / width - 0.5;
      const v0 = (y + 0.5) / height - 0.5;
      const u = 0.5 + (cos * u0 + sin * v0) / scale - shiftU;
      const v = 0.5 + (-sin * u0 + cos * v0) / scale - shiftV;
      let value = anatomyValue(anatomy, u, v);
      if (blobs.length > 0) {
        const field = lungField(anatomy, u, v);
        if (field > 0.01) {
          let lesion = 0;
          let inside = false;
          for (const b of blobs) {
            const share = blobShape(b, u, v);
            if (share > 0) lesion = Math.max(lesion, share * b.amplitude * blobTexture(b, u, v));
            if (share >= maskThreshold[b.profile]) inside = true;
          }
          value += lesion * field;
          if (inside && field > 0.5) mask.data[y * width + x] = 1;
        }
      }
      for (const m of mottle) value += m.a * Math.exp(-((u - m.u) ** 2 + (v - m.v) ** 2) / (m.r * m.r));
      if (look.curve === "gamma" && look.noise === "gaussian") {
        value = (value - 0.05) * contrast + 0.05 + brightness + noise * rng.normal();
        image.data[y * width + x] = Math.pow(Math.min(1, Math.max(0, value)), gamma);
        continue;
      }
      value = (value - 0.05) * contrast + 0.05 + brightness;
      if (look.noise === "quantum") value += 1.6 * noise * Math.sqrt(Math.max(0.02, value)) * rng.normal();
      else value += noise * rng.normal();
      const t = Math.min(1, Math.max(0, value));
      const curved = look.curve === "film" ? (logistic(t) - filmLo) / (filmHi - filmLo) : t;
      image.data[y * width + x] = Math.pow(curved, gamma);
    }
  }
  return { image, mask };
}
