// Parsing an untrusted DICOM Part 10 file with dicom-parser; every failure becomes a readable rejection.
import { inflateRawSync } from "node:zlib";
import { dicomParser, type DataSet } from "./lib";
import { describeError, RejectedFileError } from "../errors";
import { defaultLimits, type Limits } from "../limits";
import { transferSyntax, type TransferSyntax } from "./transfer-syntax";

export interface DicomObject {
  dataSet: DataSet;
  /** the bytes element offsets refer to (the inflated bytes for deflated files) */
  byteArray: Uint8Array;
  syntax: TransferSyntax;
}

export function parseDicom(bytes: Uint8Array, limits: Limits = defaultLimits): DicomObject {
  if (bytes.length < 132 || String.fromCharCode(...bytes.subarray(128, 132)) !== "DICM") {
    throw new RejectedFileError(
      "NOT_DICOM",
      "not a DICOM file: no 'DICM' marker after the 128-byte preamble",
    );
  }
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, {
      // bounded, unlike dicom-parser's own inflate: a deflated data set can be a decompression bomb
      inflater: (array: Uint8Array, position: number) => {
        const inflated = inflateRawSync(array.subarray(position), { maxOutputLength: limits.maxFileBytes });
        const full = new Uint8Array(position + inflated.length);
        full.set(array.subarray(0, position));
        full.set(inflated, position);
        return full;
      },
    });
  } catch (error) {
    throw new RejectedFileError("CORRUPT", `the DICOM file cannot be parsed: ${describeError(error)}`);
  }
  const uid = dataSet.string("x00020010");
  if (!uid)
    throw new RejectedFileError("CORRUPT", "the DICOM file has no transfer syntax in its meta header");
  if (uid === "1.2.840.10008.1.2.1.99") dropPreambleElements(dataSet);
  return { dataSet, byteArray: dataSet.byteArray, syntax: transferSyntax(uid) };
}

/**
 * dicom-parser 1.8 re-reads a deflated file from byte 0, so the preamble and the meta header come back as
 * bogus data set elements; everything that is not group 0002 before the meta header's end is dropped.
 */
function dropPreambleElements(dataSet: DataSet): void {
  const elements = Object.values(dataSet.elements);
  const metaEnd = Math.max(
    ...elements.filter((e) => e.tag.startsWith("x0002")).map((e) => e.dataOffset + e.length),
  );
  for (const element of elements) {
    if (!element.tag.startsWith("x0002") && element.dataOffset < metaEnd)
      delete dataSet.elements[element.tag];
  }
}
