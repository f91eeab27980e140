// A chest radiograph phantom's anatomy: body, lungs, mediastinum, heart, spine, ribs, clavicles. Everything
// is a function of normalised coordinates (u right, v down, both 0..1) so any output size renders the same.
import { type Rng } from "../rng";

export interface Lung {
  /** centre and radii of the lung ellipse */
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  /** -1 for the lung drawn on the image's left (the patient's right), +1 for the other */
  side: -1 | 1;
}

/** Fixed for a patient: every image of the patient shares it. */
export interface Anatomy {
  cx: number;
  bodyRx: number;
  bodyRy: number;
  bodyCy: number;
  lungs: [Lung, Lung];
  heart: { cx: number; cy: number; rx: number; ry: number };
  ribTop: number;
  ribSpacing: number;
  ribCurve: number;
  ribDensity: number;
  softTissue: number;
  lungDarkness: number;
}

type Range = readonly [number, number];

/** The ranges a patient's anatomy is drawn from: a phantom style's proportions. */
export interface Proportions {
  lungRx: Range;
  lungRy: Range;
  lungCy: Range;
  gap: Range;
  bodyRx: Range;
  bodyRy: Range;
  heartShift: Range;
  heartRx: Range;
  heartRy: Range;
  ribSpacing: Range;
  ribDensity: Range;
  softTissue: Range;
  lungDarkness: Range;
}

export const classicProportions: Proportions = {
  lungRx: [0.13, 0.17],
  lungRy: [0.27, 0.32],
  lungCy: [0.44, 0.5],
  gap: [0.17, 0.21],
  bodyRx: [0.4, 0.46],
  bodyRy: [0.5, 0.56],
  heartShift: [0.03, 0.07],
  heartRx: [0.11, 0.14],
  heartRy: [0.08, 0.1],
  ribSpacing: [0.055, 0.065],
  ribDensity: [0.06, 0.1],
  softTissue: [0.42, 0.52],
  lungDarkness: [0.28, 0.36],
};

export function sampleAnatomy(rng: Rng, p: Proportions = classicProportions): Anatomy {
  const draw = (r: Range) => rng.uniform(r[0], r[1]);
  const cx = 0.5 + rng.uniform(-0.02, 0.02);
  const lungRx = draw(p.lungRx);
  const lungRy = draw(p.lungRy);
  const lungCy = draw(p.lungCy);
  const gap = draw(p.gap);
  const lung = (side: -1 | 1): Lung => ({
    cx: cx + side * gap + rng.uniform(-0.01, 0.01),
    cy: lungCy + rng.uniform(-0.01, 0.01),
    rx: lungRx * rng.uniform(0.95, 1.05),
    ry: lungRy * rng.uniform(0.95, 1.05),
    side,
  });
  return {
    cx,
    bodyRx: draw(p.bodyRx),
    bodyRy: draw(p.bodyRy),
    bodyCy: 0.55,
    lungs: [lung(-1), lung(1)],
    heart: {
      cx: cx + draw(p.heartShift),
      cy: lungCy + lungRy * rng.uniform(0.5, 0.65),
      rx: draw(p.heartRx),
      ry: draw(p.heartRy),
    },
    ribTop: rng.uniform(0.15, 0.19),
    ribSpacing: draw(p.ribSpacing),
    ribCurve: rng.uniform(0.6, 1.0),
    ribDensity: draw(p.ribDensity),
    softTissue: draw(p.softTissue),
    lungDarkness: draw(p.lungDarkness),
  };
}

/** 0 outside, 1 inside, with a smooth edge about `edge` wide (in units of the ellipse's radius). */
export function softEllipse(
  u: number,
  v: number,
  cx: number,
  cy: number,
  rx: number,
  ry: number,
  edge = 0.06,
): number {
  const d = Math.sqrt(((u - cx) / rx) ** 2 + ((v - cy) / ry) ** 2);
  return smoothstep(1 + edge, 1 - edge, d);
}

export function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}

/** The lung field that is visible (not hidden behind the heart), 0..1. Lesions live only here. */
export function lungField(a: Anatomy, u: number, v: number): number {
  let lung = 0;
  for (const l of a.lungs) {
    // a flatter base: the diaphragm domes cut the ellipse's lower part
    const dome = l.cy + l.ry * 0.78 - 0.05 * (1 - ((u - l.cx) / l.rx) ** 2);
    const base = smoothstep(dome + 0.01, dome - 0.01, v);
    lung = Math.max(lung, softEllipse(u, v, l.cx, l.cy, l.rx, l.ry) * base);
  }
  const heart = softEllipse(u, v, a.heart.cx, a.heart.cy, a.heart.rx, a.heart.ry, 0.1);
  return lung * (1 - heart);
}

/** Attenuation of the anatomy at (u, v), before lesions, exposure and noise. */
export function anatomyValue(a: Anatomy, u: number, v: number): number {
  const body = softEllipse(u, v, a.cx, a.bodyCy, a.bodyRx, a.bodyRy, 0.04);
  let value = 0.05 + body * a.softTissue;
  const lung = lungField(a, u, v);
  value -= lung * a.lungDarkness;
  // mediastinum and spine: bright vertical bands between the lungs
  const dx = Math.abs(u - a.cx);
  value += body * 0.12 * smoothstep(0.075, 0.05, dx) * smoothstep(0.1, 0.16, v);
  value += body * 0.08 * smoothstep(0.03, 0.02, dx);
  value += 0.1 * softEllipse(u, v, a.heart.cx, a.heart.cy, a.heart.rx, a.heart.ry, 0.2);
  // posterior ribs: bands that curve down laterally
  if (body > 0.01 && dx > 0.03) {
    for (let i = 0; i < 10; i++) {
      const centre = a.ribTop + i * a.ribSpacing + a.ribCurve * (dx - 0.05) ** 2;
      const t = (v - centre) / 0.011;
      if (Math.abs(t) < 3) value += body * a.ribDensity * Math.exp(-(t ** 4));
    }
    // clavicles
    const clav = 0.13 - 0.1 * (dx - 0.05);
    const tc = (v - clav) / 0.012;
    if (dx < 0.32 && Math.abs(tc) < 3) value += body * 0.1 * Math.exp(-(tc ** 4));
  }
  return value;
}
