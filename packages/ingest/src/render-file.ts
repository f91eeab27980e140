// `ingest render IN.dcm OUT.png`: one DICOM frame as the platform displays it, as an 8-bit PNG.
import { readFile, writeFile } from "node:fs/promises";
import { encodeGrey8Png, parseDicom, readPixelModule, renderFrame, type RenderOptions } from "@cxr/imaging";

export async function renderDicomFile(
  input: string,
  output: string,
  options: RenderOptions,
): Promise<string> {
  const dicom = parseDicom(await readFile(input));
  const rendered = await renderFrame(dicom, readPixelModule(dicom.dataSet), options);
  await writeFile(output, await encodeGrey8Png(rendered.display));
  return `${output}: frame ${rendered.frame + 1}, ${rendered.display.width} x ${rendered.display.height}, ${rendered.voiDescription}`;
}
