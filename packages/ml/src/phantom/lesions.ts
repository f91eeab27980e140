// Class-specific lesions of the phantoms. A lesion is a set of blobs confined to the visible lung field;
// its mask is where it adds a visible share of its peak density.
import { type Rng } from "../rng";
import { type Anatomy, type Lung, smoothstep } from "./anatomy";

export const phantomClasses = ["normal", "pneumonia", "covid-19", "lung opacity"] as const;
export type PhantomClass = (typeof phantomClasses)[number];

export interface Blob {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  /** rotation of the blob's axes (radians) */
  angle: number;
  amplitude: number;
  /** dense consolidation: flat top and a sharp edge; ground glass: a gaussian haze */
  profile: "dense" | "haze";
}

/**
 * Where a blob counts as inside its mask, relative to its peak: the flat-topped consolidation at mid-edge, the
 * gaussian haze where it is still a fifth of its peak (its visible extent).
 */
export const maskThreshold: Record<Blob["profile"], number> = { dense: 0.35, haze: 0.2 };

function zonePoint(lung: Lung, rng: Rng, vLo: number, vHi: number, lateralLo: number, lateralHi: number) {
  const t = rng.uniform(vLo, vHi);
  const cy = lung.cy - lung.ry + 2 * lung.ry * t * 0.9;
  // the lung's half-width at that height, then a lateral fraction of it
  const half = lung.rx * Math.sqrt(Math.max(0.05, 1 - ((cy - lung.cy) / lung.ry) ** 2));
  const cx = lung.cx + lung.side * half * rng.uniform(lateralLo, lateralHi);
  return { cx, cy };
}

/** Lobar consolidation: dense, usually one lung, upper or lower zone, a lobe-sized irregular region. */
function pneumonia(a: Anatomy, rng: Rng): Blob[] {
  const first = rng.int(2);
  const sides = rng.next() < 0.15 ? [first, 1 - first] : [first];
  const blobs: Blob[] = [];
  for (const [k, s] of sides.entries()) {
    const lung = a.lungs[s] ?? a.lungs[0];
    const lower = rng.next() < 0.6;
    const centre = zonePoint(lung, rng, lower ? 0.55 : 0.2, lower ? 0.8 : 0.45, -0.2, 0.45);
    const scale = k === 0 ? 1 : 0.7;
    const rx = lung.rx * rng.uniform(0.7, 1.0) * scale;
    const ry = lung.ry * rng.uniform(0.25, 0.4) * scale;
    const amplitude = rng.uniform(0.33, 0.54);
    const parts = 2 + rng.int(2);
    for (let i = 0; i < parts; i++) {
      blobs.push({
        cx: centre.cx + rng.uniform(-0.3, 0.3) * rx,
        cy: centre.cy + rng.uniform(-0.3, 0.3) * ry,
        rx: rx * rng.uniform(0.6, 1),
        ry: ry * rng.uniform(0.6, 1),
        angle: rng.uniform(-0.5, 0.5),
        amplitude,
        profile: "dense",
      });
    }
  }
  return blobs;
}

/** COVID-19: bilateral, peripheral, lower-zone ground-glass opacities. */
function covid(a: Anatomy, rng: Rng): Blob[] {
  const blobs: Blob[] = [];
  for (const lung of a.lungs) {
    const count = 1 + rng.int(3);
    for (let i = 0; i < count; i++) {
      const c = zonePoint(lung, rng, 0.55, 0.85, 0.3, 0.65);
      const r = rng.uniform(0.05, 0.08);
      blobs.push({
        cx: c.cx,
        cy: c.cy,
        rx: r * rng.uniform(0.7, 1.1),
        ry: r * rng.uniform(0.9, 1.5),
        angle: rng.uniform(-0.4, 0.4),
        amplitude: rng.uniform(0.18, 0.3),
        profile: "haze",
      });
    }
  }
  return blobs;
}

/** Lung opacity (the four-class label set's non-specific class): one to three round, well-defined opacities. */
function opacity(a: Anatomy, rng: Rng): Blob[] {
  const blobs: Blob[] = [];
  const count = 1 + rng.int(3);
  for (let i = 0; i < count; i++) {
    const lung = a.lungs[rng.int(2)] ?? a.lungs[0];
    const c = zonePoint(lung, rng, 0.15, 0.75, -0.5, 0.6);
    const r = rng.uniform(0.025, 0.045);
    blobs.push({
      cx: c.cx,
      cy: c.cy,
      rx: r,
      ry: r * rng.uniform(0.85, 1.15),
      angle: 0,
      amplitude: rng.uniform(0.2, 0.3),
      profile: "dense",
    });
  }
  return blobs;
}

export function sampleLesions(cls: PhantomClass, a: Anatomy, rng: Rng): Blob[] {
  switch (cls) {
    case "normal":
      return [];
    case "pneumonia":
      return pneumonia(a, rng);
    case "covid-19":
      return covid(a, rng);
    case "lung opacity":
      return opacity(a, rng);
  }
}

/** A follow-up image of the same patient: the same lesions, a little moved, resized and re-densified. */
export function jitterLesions(blobs: readonly Blob[], rng: Rng): Blob[] {
  const grow = rng.uniform(0.85, 1.15);
  const dense = rng.uniform(0.85, 1.15);
  return blobs.map((b) => ({
    ...b,
    cx: b.cx + rng.uniform(-0.01, 0.01),
    cy: b.cy + rng.uniform(-0.01, 0.01),
    rx: b.rx * grow,
    ry: b.ry * grow,
    amplitude: b.amplitude * dense,
  }));
}

/** The blob's share of its peak at (u, v), 0..1. */
export function blobShape(b: Blob, u: number, v: number): number {
  const du = u - b.cx;
  const dv = v - b.cy;
  const c = Math.cos(b.angle);
  const s = Math.sin(b.angle);
  const x = (c * du + s * dv) / b.rx;
  const y = (-s * du + c * dv) / b.ry;
  const d2 = x * x + y * y;
  if (b.profile === "dense") return smoothstep(1.15, 0.85, Math.sqrt(d2));
  return d2 > 9 ? 0 : Math.exp(-d2 * 1.2);
}
