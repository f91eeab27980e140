// Cohen's clinical columns: RT_PCR_positive onto rtPcrPositive, every column without an Image field into
// clinicalExtra as text, and a value that does not parse kept as text with a message on its row.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { makePng } from "@cxr/imaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../src/import-dataset";
import { jobReport } from "../src/jobs";
import { setUp, type TestEnv } from "./helpers";

// the repository's header, plus two columns a later version of metadata.csv might add
const HEADER =
  "patientid,offset,sex,age,finding,RT_PCR_positive,survival,intubated,intubation_present,went_icu,in_icu,needed_supplemental_O2,extubated,temperature,pO2_saturation,leukocyte_count,neutrophil_count,lymphocyte_count,view,modality,date,location,folder,filename,doi,url,license,clinical_notes,other_notes,ferritin,d_dimer";
const ROWS = [
  // everything well formed, two extra columns filled
  `20,1,F,58,Pneumonia/Viral/COVID-19,Y,N,Y,,Y,Y,Y,N,39.1,88,7.2,5.9,0.6,PA,X-ray,2020,,images,a.png,,,,,,1250 ng/mL,0.9`,
  // RT-PCR "N", an extra column left empty (left out)
  `21,,M,47,Pneumonia/Viral/COVID-19,N,,,,,,,,,,,,,PA,X-ray,2020,,images,b.png,,,,,,,2.1`,
  // malformed: RT-PCR "Unclear", a decimal comma in temperature
  `22,,M,71,Pneumonia/Viral/COVID-19,Unclear,Y,,,,,,,"38,5",,,,,PA,X-ray,2020,,images,c.png,,,,,,,`,
];

let env: TestEnv;
let root: string;

beforeAll(async () => {
  env = await setUp();
  root = path.join(env.dir, "cohen-clinical");
  const images = path.join(root, "images");
  await mkdir(images, { recursive: true });
  for (const [i, name] of ["a.png", "b.png", "c.png"].entries())
    await writeFile(path.join(images, name), await makePng(96, 96, 20 + i));
  await writeFile(path.join(root, "metadata.csv"), [HEADER, ...ROWS].join("\n") + "\n");
});
afterAll(() => env.close());

describe("Cohen importer: clinical columns", () => {
  it("keeps RT_PCR_positive and every other column, and imports a row with a malformed value with a message", async () => {
    const { job } = await importDataset(env.ctx, { format: "cohen", path: root });
    expect(job).toMatchObject({ status: "SUCCEEDED", imported: 3, skipped: 0, failed: 0 });
    const images = await env.t.db.image.findMany({ orderBy: { filename: "asc" } });
    const [a, b, c] = images;
    expect(a).toMatchObject({
      rtPcrPositive: true,
      survival: false,
      intubated: true,
      intubationPresent: null,
      wentIcu: true,
      extubated: false,
      temperatureC: 39.1,
      po2Saturation: 88,
      neutrophilCount: 5.9,
      offsetDays: 1,
      clinicalExtra: { ferritin: "1250 ng/mL", d_dimer: "0.9" },
    });
    expect(b).toMatchObject({ rtPcrPositive: false, clinicalExtra: { d_dimer: "2.1" } });
    // nothing lost: the fields stay unknown and the values come as text
    expect(c).toMatchObject({
      rtPcrPositive: null,
      survival: true,
      temperatureC: null,
      ageYears: 71,
      clinicalExtra: { RT_PCR_positive: "Unclear", temperature: "38,5" },
    });

    const report = await jobReport(env.t.db, job.id);
    expect(report.problems).toEqual([
      {
        status: "IMPORTED",
        reason: "INVALID_METADATA",
        count: 1,
        examples: [
          {
            key: "images/c.png",
            message:
              'row 4: RT_PCR_positive "Unclear" is not Y or N, kept as text; temperature "38,5" is not a number, kept as text',
          },
        ],
      },
    ]);
  });
});
