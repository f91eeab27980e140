// Heat-map colouring (a 256-entry lookup per colormap, applied with a threshold: below it, transparent) comes
// from @cxr/imaging/colormap, the source the CLI's overlay uses too, so both show the same colours.
export { colormapLut, colormaps, colorize, type Colormap } from "@cxr/imaging/colormap";
