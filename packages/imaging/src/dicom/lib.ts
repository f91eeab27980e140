// dicom-parser is a UMD bundle: Node's ESM loader cannot see its named exports, so it is loaded with require.
import { createRequire } from "node:module";
import type * as DicomParser from "dicom-parser";

const require = createRequire(import.meta.url);

export const dicomParser = require("dicom-parser") as typeof DicomParser;
export type { DataSet, Element } from "dicom-parser";
