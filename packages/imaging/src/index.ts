// The public API of @cxr/imaging: what other workspaces import (the colormap is `@cxr/imaging/colormap`, for
// the browser; test fixtures are `@cxr/imaging/testing`). Everything else is internal to the package.
export { RejectedFileError, describeError, type RejectionCode } from "./errors";
export { defaultLimits, formatBytes, type Limits } from "./limits";
export { sniff } from "./sniff";
export { decodeRaster } from "./raster";
export { decodeMasterPng, encodeGrey8Png, encodeMasterPng } from "./derivatives";
export { parseLooseDate } from "./dates";
export {
  prepareImage,
  prepareImageFrames,
  type ImageToStore,
  type PreparedFrame,
  type PreparedImage,
  type StreamedImage,
} from "./prepare";
export { parseDicom } from "./dicom/parse";
export { readPixelModule } from "./dicom/pixel-module";
export { renderFrame, type RenderOptions } from "./dicom/render";
export { mapSex, mapViewPosition } from "./dicom/metadata";
export { type DeidentifyOptions } from "./dicom/deidentify";
export { maskToRois, rasterizeRois } from "./roi-mask";
export { pointingTolerancePx, scoreCamAgainstRois, scoreCamPlane, type CamRoiFigures } from "./cam-roi";
