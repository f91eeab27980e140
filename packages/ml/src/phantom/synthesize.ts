// Phantom data sets in the layout the CLI reads: DIR/images/*.png, DIR/masks/*.png, DIR/labels.csv.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encodeGray16, encodeGray8 } from "../image/encode";
import { createRng } from "../rng";
import { sampleAnatomy } from "./anatomy";
import { jitterLesions, type PhantomClass, sampleLesions } from "./lesions";
import { renderPhantom, type RenderedPhantom } from "./render";
import { type PhantomStyleName, styleOf } from "./style";

export interface PhantomRecord {
  file: string;
  mask: string;
  label: PhantomClass;
  patientId: string;
}

export interface SynthesizeOptions {
  count: number;
  seed?: number;
  /** the label set; default normal, pneumonia, covid-19 */
  classes?: readonly PhantomClass[];
  /** square image size in pixels; default 256 */
  size?: number;
  /** images per patient, inclusive range; default 1..3 */
  imagesPerPatient?: [number, number];
  /** the generator's style (style.ts); default "classic" */
  style?: PhantomStyleName;
  /** bits per pixel of the written images; default the style's (classic 8, alternate 16) */
  bits?: 8 | 16;
}

export const defaultPhantomClasses: readonly PhantomClass[] = ["normal", "pneumonia", "covid-19"];

export interface Phantom extends RenderedPhantom {
  label: PhantomClass;
  patientId: string;
  index: number;
  /** the style it was drawn in and its bits per pixel when written */
  style: "classic" | "alternate";
  bits: 8 | 16;
}

/** Generates phantoms lazily, patient by patient, classes balanced across patients. */
export function* phantoms(options: SynthesizeOptions): Generator<Phantom> {
  const seed = options.seed ?? 42;
  const classes = options.classes ?? defaultPhantomClasses;
  const size = options.size ?? 256;
  const [lo, hi] = options.imagesPerPatient ?? [1, 3];
  if (classes.length === 0) throw new Error("at least one class is needed");
  const rng = createRng(seed);
  let index = 0;
  for (let p = 0; index < options.count; p++) {
    const label = classes[p % classes.length] as PhantomClass;
    const style = styleOf(options.style ?? "classic", p);
    const patientRng = createRng(rng.fork());
    const anatomy = sampleAnatomy(patientRng, style.proportions);
    const lesions = sampleLesions(label, anatomy, patientRng, style.lesions);
    const images = lo + patientRng.int(hi - lo + 1);
    const patientId = `s${seed}-p${String(p).padStart(5, "0")}`;
    for (let i = 0; i < images && index < options.count; i++, index++) {
      const blobs = i === 0 ? lesions : jitterLesions(lesions, patientRng);
      const imageRng = createRng(patientRng.fork());
      const [width, height] = style.dimensions(size, imageRng);
      yield {
        ...renderPhantom(anatomy, blobs, width, imageRng, style.exposure, height),
        label,
        patientId,
        index,
        style: style.name,
        bits: options.bits ?? style.bits,
      };
    }
  }
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes a phantom data set and returns its rows (as in labels.csv). */
export async function synthesizeDataset(
  outDir: string,
  options: SynthesizeOptions,
): Promise<PhantomRecord[]> {
  await mkdir(join(outDir, "images"), { recursive: true });
  await mkdir(join(outDir, "masks"), { recursive: true });
  const records: PhantomRecord[] = [];
  for (const ph of phantoms(options)) {
    const name = `${ph.patientId}-${String(ph.index).padStart(5, "0")}.png`;
    const record = {
      file: `images/${name}`,
      mask: `masks/${name}`,
      label: ph.label,
      patientId: ph.patientId,
    };
    await writeFile(
      join(outDir, record.file),
      ph.bits === 16 ? encodeGray16(ph.image) : await encodeGray8(ph.image),
    );
    await writeFile(join(outDir, record.mask), await encodeGray8(ph.mask));
    records.push(record);
  }
  const lines = [
    "file,label,patient_id",
    ...records.map((r) => [r.file, r.label, r.patientId].map(csvField).join(",")),
  ];
  await writeFile(join(outDir, "labels.csv"), lines.join("\n") + "\n");
  return records;
}
