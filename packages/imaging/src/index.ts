export * from "./errors";
export * from "./limits";
export * from "./hash";
export * from "./grey";
export * from "./env";
export * from "./sniff";
export * from "./raster";
export * from "./derivatives";
export * from "./dates";
export * from "./zip";
export * from "./prepare";
export * from "./storage/types";
export { LocalStorage } from "./storage/local";
export { S3Storage, type S3StorageOptions } from "./storage/s3";
export { createStorage } from "./storage/create";
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
export { maskToRois, rasterizeRois, pointRoiDiameter } from "./roi-mask";
export { closeDecodePool, configureDecodePool, defaultDecodeBudget, type DecodeBudget } from "./decode/pool";
