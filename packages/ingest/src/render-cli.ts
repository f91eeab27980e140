// `npm run ingest -- render IN.dcm OUT.png [--window CENTER,WIDTH] [--frame N]`: renders a DICOM file as the
// viewer would. It needs no database, so it works on a fresh clone before anything is generated or started.
import path from "node:path";
import { parseArgs } from "node:util";
import { positiveFrame, UsageError, windowSchema } from "./cli-args";
import { renderDicomFile } from "./render-file";

export async function renderCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { window: { type: "string" }, frame: { type: "string" } },
  });
  const [input, output, ...rest] = positionals;
  if (!input || !output || rest.length > 0) throw new UsageError("render wants IN.dcm OUT.png");
  const frame = values.frame ? positiveFrame.parse(values.frame) - 1 : 0;
  const window = values.window ? windowSchema.parse(values.window) : undefined;
  const cwd = process.env.INIT_CWD || process.cwd();
  console.log(await renderDicomFile(path.resolve(cwd, input), path.resolve(cwd, output), { frame, window }));
  return 0;
}
