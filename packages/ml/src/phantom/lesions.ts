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
  /** inner structure of a consolidation, in the blob's own unit-disc coordinates */
  texture?: ConsolidationTexture;
  /** reticulation of ground glass ("crazy paving"): a lattice of thickened septa, in unit-disc coordinates */
  reticulation?: { frequency: number; depth: number; angle: number };
}

type Range = readonly [number, number];

/** How a phantom style draws its lesions: densities, sizes, counts and textures. */
export interface LesionLook {
  /** consolidation: amplitude, air-bronchogram trunks (inclusive), density patches and their amounts */
  pneumonia: { amplitude: Range; bronchi: readonly [number, number]; patches: number; patchAmount: Range };
  /** ground glass: blobs per lung (inclusive), radius, amplitude, and reticulation depth (none without it) */
  covid: { count: readonly [number, number]; radius: Range; amplitude: Range; reticulation?: Range };
}

export const classicLesions: LesionLook = {
  pneumonia: { amplitude: [0.33, 0.54], bronchi: [2, 3], patches: 3, patchAmount: [-0.3, 0.1] },
  covid: { count: [1, 3], radius: [0.05, 0.08], amplitude: [0.18, 0.3] },
};

const between = (rng: Rng, [lo, hi]: readonly [number, number]) => lo + rng.int(hi - lo + 1);

/**
 * What makes consolidation look like consolidation rather than a flat disc: air bronchograms (air-filled bronchi,
 * dark branching lines, inside the opacified lobe) and patchy density.
 */
export interface ConsolidationTexture {
  bronchi: { x0: number; y0: number; x1: number; y1: number; width: number; depth: number }[];
  patches: { x: number; y: number; r: number; amount: number }[];
}

function consolidationTexture(rng: Rng, look: LesionLook["pneumonia"]): ConsolidationTexture {
  const bronchi: ConsolidationTexture["bronchi"] = [];
  const trunks = between(rng, look.bronchi);
  for (let i = 0; i < trunks; i++) {
    const a = rng.uniform(0, 2 * Math.PI);
    const x0 = 0.6 * Math.cos(a);
    const y0 = 0.6 * Math.sin(a);
    // across the lobe, roughly towards the opposite side
    const heading = a + Math.PI + rng.uniform(-0.5, 0.5);
    const length = rng.uniform(0.8, 1.3);
    const x1 = x0 + length * Math.cos(heading);
    const y1 = y0 + length * Math.sin(heading);
    const width = rng.uniform(0.07, 0.11);
    const depth = rng.uniform(0.45, 0.7);
    bronchi.push({ x0, y0, x1, y1, width, depth });
    // one branch from the trunk's middle
    const bx = (x0 + x1) / 2;
    const by = (y0 + y1) / 2;
    const branch = heading + (rng.next() < 0.5 ? -1 : 1) * rng.uniform(0.4, 0.8);
    const bl = length * rng.uniform(0.35, 0.55);
    bronchi.push({
      x0: bx,
      y0: by,
      x1: bx + bl * Math.cos(branch),
      y1: by + bl * Math.sin(branch),
      width: width * 0.75,
      depth,
    });
  }
  const patches = Array.from({ length: look.patches }, () => ({
    x: rng.uniform(-0.6, 0.6),
    y: rng.uniform(-0.6, 0.6),
    r: rng.uniform(0.3, 0.55),
    amount: rng.uniform(...look.patchAmount),
  }));
  return { bronchi, patches };
}

/**
 * Where a blob counts as inside its mask, relative to its peak: where it still adds a fifth of its peak density,
 * its visible extent (the ill-defined margin of a consolidation and the fading edge of ground glass alike).
 */
export const maskThreshold: Record<Blob["profile"], number> = { dense: 0.2, haze: 0.2 };

function zonePoint(lung: Lung, rng: Rng, vLo: number, vHi: number, lateralLo: number, lateralHi: number) {
  const t = rng.uniform(vLo, vHi);
  const cy = lung.cy - lung.ry + 2 * lung.ry * t * 0.9;
  // the lung's half-width at that height, then a lateral fraction of it
  const half = lung.rx * Math.sqrt(Math.max(0.05, 1 - ((cy - lung.cy) / lung.ry) ** 2));
  const cx = lung.cx + lung.side * half * rng.uniform(lateralLo, lateralHi);
  return { cx, cy };
}

/** Lobar consolidation: dense, usually one lung, upper or lower zone, a lobe-sized irregular region. */
function pneumonia(a: Anatomy, rng: Rng, look: LesionLook): Blob[] {
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
    const amplitude = rng.uniform(...look.pneumonia.amplitude);
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
        texture: consolidationTexture(rng, look.pneumonia),
      });
    }
  }
  return blobs;
}

/** COVID-19: bilateral, peripheral, lower-zone ground-glass opacities. */
function covid(a: Anatomy, rng: Rng, look: LesionLook): Blob[] {
  const blobs: Blob[] = [];
  for (const lung of a.lungs) {
    const { count: counts, radius, amplitude, reticulation } = look.covid;
    const count = between(rng, counts);
    for (let i = 0; i < count; i++) {
      const c = zonePoint(lung, rng, 0.55, 0.85, 0.3, 0.65);
      const r = rng.uniform(...radius);
      const blob: Blob = {
        cx: c.cx,
        cy: c.cy,
        rx: r * rng.uniform(0.7, 1.1),
        ry: r * rng.uniform(0.9, 1.5),
        angle: rng.uniform(-0.4, 0.4),
        amplitude: rng.uniform(...amplitude),
        profile: "haze",
      };
      // drawn after the blob, so a style without reticulation draws exactly what it always drew
      if (reticulation)
        blob.reticulation = {
          frequency: rng.uniform(4, 7),
          depth: rng.uniform(...reticulation),
          angle: rng.uniform(0, Math.PI),
        };
      blobs.push(blob);
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

export function sampleLesions(
  cls: PhantomClass,
  a: Anatomy,
  rng: Rng,
  look: LesionLook = classicLesions,
): Blob[] {
  switch (cls) {
    case "normal":
      return [];
    case "pneumonia":
      return pneumonia(a, rng, look);
    case "covid-19":
      return covid(a, rng, look);
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

/** (u, v) in the blob's own coordinates, where the blob is the unit disc. */
function local(b: Blob, u: number, v: number): [number, number] {
  const du = u - b.cx;
  const dv = v - b.cy;
  const c = Math.cos(b.angle);
  const s = Math.sin(b.angle);
  return [(c * du + s * dv) / b.rx, (-s * du + c * dv) / b.ry];
}

/** The blob's share of its peak at (u, v), 0..1: its envelope, which also defines its mask. */
export function blobShape(b: Blob, u: number, v: number): number {
  const [x, y] = local(b, u, v);
  const d2 = x * x + y * y;
  // consolidation: dense, with an ill-defined margin (sharp only where a fissure bounds it, not modelled)
  if (b.profile === "dense") return smoothstep(1.2, 0.6, Math.sqrt(d2));
  return d2 > 9 ? 0 : Math.exp(-d2 * 1.2);
}

function segmentDistance2(x: number, y: number, s: ConsolidationTexture["bronchi"][number]): number {
  const dx = s.x1 - s.x0;
  const dy = s.y1 - s.y0;
  const t = Math.min(1, Math.max(0, ((x - s.x0) * dx + (y - s.y0) * dy) / (dx * dx + dy * dy)));
  return (x - s.x0 - t * dx) ** 2 + (y - s.y0 - t * dy) ** 2;
}

/** The density inside the envelope relative to its peak (1 without texture): bronchograms and patches. */
export function blobTexture(b: Blob, u: number, v: number): number {
  if (b.reticulation) {
    const [x, y] = local(b, u, v);
    const { frequency, depth, angle } = b.reticulation;
    const [c, s] = [Math.cos(angle), Math.sin(angle)];
    // thin bright septa where either lattice direction peaks, over a fainter haze
    const septa = Math.max(Math.cos(frequency * (c * x + s * y)), Math.cos(frequency * (c * y - s * x))) ** 8;
    return 1 - depth + depth * 2 * septa;
  }
  if (!b.texture) return 1;
  const [x, y] = local(b, u, v);
  let f = 1;
  for (const p of b.texture.patches)
    f += p.amount * Math.exp(-((x - p.x) ** 2 + (y - p.y) ** 2) / (p.r * p.r));
  for (const s of b.texture.bronchi)
    f *= 1 - s.depth * Math.exp(-segmentDistance2(x, y, s) / (s.width * s.width));
  return Math.max(0, f);
}
