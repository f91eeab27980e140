// The bytes of one frame: a slice of native pixel data, or the fragments of an encapsulated frame.
import { describeError, RejectedFileError } from "../errors";
import { dicomParser } from "./lib";
import type { DicomObject } from "./parse";
import type { PixelModule } from "./pixel-module";

export function frameBytes(dicom: DicomObject, pm: PixelModule, index: number): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= pm.numberOfFrames) {
    throw new RejectedFileError(
      "UNSUPPORTED",
      `frame ${index + 1} does not exist: the object has ${pm.numberOfFrames} frame(s)`,
    );
  }
  const { dataSet, syntax } = dicom;
  const element = dataSet.elements.x7fe00010;
  if (!element)
    throw new RejectedFileError("NO_PIXEL_DATA", "the DICOM object has no pixel data (it is not an image)");
  if (syntax.encoding === "native") {
    if (element.encapsulatedPixelData)
      throw new RejectedFileError("CORRUPT", "pixel data is encapsulated but the transfer syntax is native");
    const bits = pm.rows * pm.columns * pm.samplesPerPixel * pm.bitsAllocated;
    // 1-bit frames are packed back to back; callers unpack from the bit offset this slice starts at
    const start = Math.floor((bits * index) / 8);
    const length = Math.ceil(bits / 8);
    if (element.dataOffset + start + length > dicom.byteArray.length || start + length > element.length) {
      throw new RejectedFileError(
        "CORRUPT",
        "the pixel data is shorter than the image size requires (truncated file?)",
      );
    }
    return dicom.byteArray.subarray(element.dataOffset + start, element.dataOffset + start + length);
  }
  if (!element.encapsulatedPixelData || !element.fragments) {
    throw new RejectedFileError("CORRUPT", `pixel data should be encapsulated for ${syntax.name}`);
  }
  try {
    const fragments = element.fragments;
    if (pm.numberOfFrames === 1) {
      return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0, fragments.length);
    }
    if (element.basicOffsetTable && element.basicOffsetTable.length > 0) {
      return dicomParser.readEncapsulatedImageFrame(dataSet, element, index);
    }
    if (fragments.length === pm.numberOfFrames) {
      return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, index, 1);
    }
    if (syntax.encoding.startsWith("jpeg")) {
      const table = dicomParser.createJPEGBasicOffsetTable(dataSet, element);
      return dicomParser.readEncapsulatedImageFrame(dataSet, element, index, table);
    }
  } catch (error) {
    throw new RejectedFileError(
      "CORRUPT",
      `frame ${index + 1} cannot be read from the pixel data: ${describeError(error)}`,
    );
  }
  throw new RejectedFileError(
    "UNSUPPORTED",
    "multi-frame pixel data without an offset table is not supported for this transfer syntax",
  );
}
