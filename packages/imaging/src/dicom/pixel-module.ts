// The Image Pixel, Modality LUT and VOI LUT modules of a DICOM object, read once and validated.
import { z } from "zod";
import { RejectedFileError } from "../errors";
import type { DataSet, Element } from "./lib";

export interface Lut {
  /** first input value mapped to data[0] */
  firstMapped: number;
  /** bits per output entry */
  bits: number;
  data: Uint16Array;
}

export interface WindowSetting {
  center: number;
  width: number;
  explanation?: string;
}

const photometricSchema = z.enum([
  "MONOCHROME1",
  "MONOCHROME2",
  "RGB",
  "YBR_FULL",
  "YBR_FULL_422",
  "YBR_RCT",
  "YBR_ICT",
  "PALETTE COLOR",
  "YBR_PARTIAL_420",
]);

const pixelModuleSchema = z.object({
  rows: z.number().int().positive({ error: "Rows must be a positive number" }),
  columns: z.number().int().positive({ error: "Columns must be a positive number" }),
  samplesPerPixel: z.union([z.literal(1), z.literal(3)], { error: "Samples per Pixel must be 1 or 3" }),
  photometric: photometricSchema,
  bitsAllocated: z.union([z.literal(1), z.literal(8), z.literal(16), z.literal(32)], {
    error: "Bits Allocated must be 1, 8, 16 or 32",
  }),
  bitsStored: z.number().int().min(1).max(32),
  highBit: z.number().int().min(0).max(31),
  pixelRepresentation: z.union([z.literal(0), z.literal(1)]),
  planarConfiguration: z.union([z.literal(0), z.literal(1)]),
  numberOfFrames: z.number().int().positive(),
  rescaleSlope: z
    .number()
    .finite()
    .refine((v) => v !== 0, "Rescale Slope must not be 0"),
  rescaleIntercept: z.number().finite(),
  windows: z.array(
    z.object({ center: z.number().finite(), width: z.number().finite(), explanation: z.string().optional() }),
  ),
  voiLutFunction: z.enum(["LINEAR", "LINEAR_EXACT", "SIGMOID"]),
  paddingValue: z.number().int().optional(),
  paddingRangeLimit: z.number().int().optional(),
});

export type PixelModule = z.infer<typeof pixelModuleSchema> & { modalityLut?: Lut; voiLuts: Lut[] };

export function readPixelModule(ds: DataSet): PixelModule {
  if (!ds.elements.x7fe00010)
    throw new RejectedFileError("NO_PIXEL_DATA", "the DICOM object has no pixel data (it is not an image)");
  const pixelRepresentation = ds.uint16("x00280103") ?? 0;
  const signed = pixelRepresentation === 1;
  const bitsAllocated = ds.uint16("x00280100");
  const bitsStored = ds.uint16("x00280101") ?? bitsAllocated;
  const windows: WindowSetting[] = [];
  const centers = ds.numStringValues("x00281050") ?? 0;
  const widths = ds.numStringValues("x00281051") ?? 0;
  // explanations may be fewer than windows (dicom-parser throws when asked for a missing value)
  const explanations = ds.numStringValues("x00281055") ?? 0;
  for (let i = 0; i < Math.min(centers, widths); i++) {
    const center = ds.floatString("x00281050", i);
    const width = ds.floatString("x00281051", i);
    // a width below 1 is not a valid window (PS3.3 C.11.2.1.2); such entries are skipped, as DCMTK does
    if (center === undefined || width === undefined || !Number.isFinite(center) || !(width >= 1)) continue;
    windows.push({ center, width, explanation: i < explanations ? ds.string("x00281055", i) : undefined });
  }
  const photometric = (ds.string("x00280004") ?? "").trim().toUpperCase();
  const raw = {
    rows: ds.uint16("x00280010"),
    columns: ds.uint16("x00280011"),
    samplesPerPixel: ds.uint16("x00280002") ?? 1,
    photometric: photometric || "MONOCHROME2",
    bitsAllocated,
    bitsStored,
    highBit: ds.uint16("x00280102") ?? (bitsStored ?? 1) - 1,
    pixelRepresentation,
    planarConfiguration: ds.uint16("x00280006") ?? 0,
    numberOfFrames: ds.intString("x00280008") ?? 1,
    rescaleSlope: ds.floatString("x00281053") ?? 1,
    rescaleIntercept: ds.floatString("x00281052") ?? 0,
    windows,
    voiLutFunction: (ds.string("x00281056") ?? "LINEAR").trim().toUpperCase(),
    paddingValue: ds.elements.x00280120 ? readUsOrSs(ds, "x00280120", signed) : undefined,
    paddingRangeLimit: ds.elements.x00280121 ? readUsOrSs(ds, "x00280121", signed) : undefined,
  };
  const parsed = pixelModuleSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") ?? "";
    throw new RejectedFileError(
      "UNSUPPORTED",
      `the DICOM image attributes are not supported: ${field} ${issue?.message ?? ""}`.trim(),
    );
  }
  const module = parsed.data;
  if (module.bitsStored > module.bitsAllocated || module.highBit >= module.bitsAllocated) {
    throw new RejectedFileError(
      "CORRUPT",
      `Bits Stored ${module.bitsStored} / High Bit ${module.highBit} do not fit Bits Allocated ${module.bitsAllocated}`,
    );
  }
  const modalityItem = ds.elements.x00283000?.items?.[0]?.dataSet;
  const voiItems = ds.elements.x00283010?.items ?? [];
  return {
    ...module,
    modalityLut: modalityItem ? readLut(modalityItem, signed) : undefined,
    voiLuts: voiItems.flatMap((item) => (item.dataSet ? [readLut(item.dataSet, false)] : [])),
  };
}

/** US or SS by Pixel Representation: implicit-VR files do not say which. */
function readUsOrSs(ds: DataSet, tag: string, signed: boolean, index = 0): number | undefined {
  const element = ds.elements[tag];
  const vr = element?.vr;
  if (vr === "SS" || (vr !== "US" && signed)) return ds.int16(tag, index);
  return ds.uint16(tag, index);
}

function readLut(item: DataSet, signedInput: boolean): Lut {
  const entriesRaw = item.uint16("x00283002", 0);
  const bits = item.uint16("x00283002", 2);
  const firstMapped = readUsOrSs(item, "x00283002", signedInput, 1);
  const dataElement = item.elements.x00283006;
  if (entriesRaw === undefined || bits === undefined || firstMapped === undefined || !dataElement) {
    throw new RejectedFileError("CORRUPT", "a LUT in the DICOM object lacks its descriptor or data");
  }
  const entries = entriesRaw === 0 ? 65536 : entriesRaw;
  return { firstMapped, bits, data: readLutData(item, dataElement, entries) };
}

function readLutData(item: DataSet, element: Element, entries: number): Uint16Array {
  const data = new Uint16Array(entries);
  // 8-bit LUTs are sometimes packed two entries per 16-bit word
  if (element.length === entries) {
    for (let i = 0; i < entries; i++) data[i] = item.byteArray[element.dataOffset + i] ?? 0;
    return data;
  }
  if (element.length < entries * 2)
    throw new RejectedFileError("CORRUPT", "a LUT's data is shorter than its descriptor says");
  for (let i = 0; i < entries; i++)
    data[i] = item.byteArrayParser.readUint16(item.byteArray, element.dataOffset + 2 * i);
  return data;
}
