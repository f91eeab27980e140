// Phantom styles: the project's own ("classic", what the training recipe was tuned on) and a second generator
// ("alternate") with other anatomy proportions, another detector curve and noise, other lesion textures, other image
// sizes and 16-bit output, so that robustness can be measured on data the recipe was not tuned on. "mixed" draws
// each patient from one of the two.
import { type Rng } from "../rng";
import { classicProportions, type Proportions } from "./anatomy";
import { classicLesions, type LesionLook } from "./lesions";
import { classicExposure, type ExposureLook } from "./render";

export const phantomStyles = ["classic", "alternate", "mixed"] as const;
export type PhantomStyleName = (typeof phantomStyles)[number];

export interface PhantomStyle {
  name: Exclude<PhantomStyleName, "mixed">;
  proportions: Proportions;
  lesions: LesionLook;
  exposure: ExposureLook;
  /** an image's width and height for the requested size (drawn per image where the style varies them) */
  dimensions(size: number, rng: Rng): [number, number];
  /** bits per pixel of the written PNG */
  bits: 8 | 16;
}

export const classicStyle: PhantomStyle = {
  name: "classic",
  proportions: classicProportions,
  lesions: classicLesions,
  exposure: classicExposure,
  dimensions: (size) => [size, size],
  bits: 8,
};

export const alternateStyle: PhantomStyle = {
  name: "alternate",
  proportions: {
    // broader, shorter lungs, set lower
    lungRx: [0.15, 0.19],
    lungRy: [0.23, 0.28],
    lungCy: [0.47, 0.53],
    gap: [0.18, 0.22],
    // a wider, shorter body and a bigger heart further to the side
    bodyRx: [0.42, 0.48],
    bodyRy: [0.48, 0.54],
    heartShift: [0.04, 0.09],
    heartRx: [0.13, 0.17],
    heartRy: [0.09, 0.12],
    // closer, denser ribs, thinner soft tissue, less lung contrast
    ribSpacing: [0.045, 0.055],
    ribDensity: [0.08, 0.13],
    softTissue: [0.34, 0.44],
    lungDarkness: [0.22, 0.3],
  },
  // fainter, more mottled consolidation with fewer bronchograms; more, fainter, larger, reticulated ground glass
  lesions: {
    pneumonia: { amplitude: [0.26, 0.46], bronchi: [1, 2], patches: 6, patchAmount: [-0.45, 0.2] },
    covid: { count: [2, 4], radius: [0.055, 0.09], amplitude: [0.13, 0.24], reticulation: [0.25, 0.5] },
  },
  exposure: { curve: "film", noise: "quantum" },
  // portrait detectors of several sizes
  dimensions: (size, rng) => {
    const width = Math.max(32, Math.round(size * rng.uniform(0.8, 1.25)));
    return [width, Math.round(width * rng.uniform(1.0, 1.2))];
  },
  bits: 16,
};

/** The style of patient number `patient`: "mixed" alternates between the two. */
export function styleOf(name: PhantomStyleName, patient: number): PhantomStyle {
  if (name === "mixed") return patient % 2 === 0 ? classicStyle : alternateStyle;
  return name === "alternate" ? alternateStyle : classicStyle;
}
