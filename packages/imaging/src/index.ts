export * from "./errors";
export * from "./limits";
export * from "./grey";
export * from "./sniff";
export * from "./raster";
export * from "./derivatives";
export * from "./dates";
export * from "./prepare";
export { parseDicom, type DicomObject } from "./dicom/parse";
export { readPixelModule, type PixelModule, type WindowSetting, type Lut } from "./dicom/pixel-module";
export {
  renderFrame,
  chooseVoi,
  type RenderOptions,
  type RenderedFrame,
  type WindowOption,
} from "./dicom/render";
export { decodeFrame, type FrameSamples } from "./dicom/samples";
export { applyVoi, presentation8, type Voi } from "./dicom/lut";
export { readDicomMetadata, mapSex, mapViewPosition, parseAge, type DicomMetadata } from "./dicom/metadata";
export { deidentifyDicom, pseudonymFor, pseudonymousUid, type DeidentifyOptions } from "./dicom/deidentify";
export { transferSyntax, type TransferSyntax } from "./dicom/transfer-syntax";
export { maskToRois, rasterizeRois, roiSchema, pointRoiDiameter, type RoiOutline } from "./roi-mask";
