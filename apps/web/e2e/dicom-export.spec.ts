// DICOM exports in real Chromium: a radiologist opens a DICOM image (pydicom's CT_small.dcm, ingested as an
// upload is) with a read of theirs and a region, downloads the Structured Report from the viewer's DICOM panel,
// and the file parses (dicom-parser) as a Comprehensive SR naming the label; "Send to PACS" without a configured
// PACS says so. (The STOW-RS push itself is tested against a real Orthanc in test/dicom-export.test.ts.)
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { type Db } from "@cxr/db";
import { ingestUploadedFiles } from "@cxr/ingest/upload";
import dicomParser from "dicom-parser";
import { account } from "./fixtures";
import { stackHandles } from "./review-stack";
import { signInAs } from "./session";

const CT_SMALL = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm";

let db: Db;
let imageId = "";

test.beforeAll(async () => {
  const handles = await stackHandles();
  db = handles.db;
  const [uploaded] = await ingestUploadedFiles({ db, storage: handles.storage }, [
    { name: "CT_small.dcm", bytes: await readFile(CT_SMALL) },
  ]);
  imageId = uploaded!.imageIds[0]!;
  const reader = await db.user.findUniqueOrThrow({ where: { email: account("RADIOLOGIST").email } });
  const covid = await db.labelClass.findFirstOrThrow({
    where: { key: "covid-19", labelSet: { name: "cxr-4class" } },
  });
  const read = await db.read.create({
    data: { imageId, labelSetId: covid.labelSetId, classId: covid.id, readerId: reader.id },
  });
  await db.annotation.create({
    data: {
      imageId,
      readId: read.id,
      authorId: reader.id,
      shape: "RECTANGLE",
      points: [
        [0.25, 0.25],
        [0.5, 0.5],
      ],
    },
  });
});

test.afterAll(async () => {
  await db?.$disconnect();
});

test("a radiologist downloads a DICOM image's read as a Structured Report from the viewer", async ({
  page,
}) => {
  // the first case of a freshly started stack loads slowly on a busy machine
  test.setTimeout(120_000);
  await signInAs(page, account("RADIOLOGIST"));
  await page.goto(`/review?case=${imageId}`);
  const panel = page.getByTestId("dicom-exports");
  await expect(panel).toBeVisible({ timeout: 90_000 });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    panel.getByTestId("export-dicom-sr").click(),
  ]);
  expect(download.suggestedFilename()).toBe(`sr-${imageId}.dcm`);
  const bytes = await readFile((await download.path())!);
  const sr = dicomParser.parseDicom(new Uint8Array(bytes));
  expect(sr.string("x00080016")).toBe("1.2.840.10008.5.1.4.1.1.88.33");
  expect(sr.string("x00080060")).toBe("SR");
  // the label, as the local scheme's code and its meaning
  expect(bytes.includes(Buffer.from("covid-19"))).toBe(true);
  expect(bytes.includes(Buffer.from("COVID-19"))).toBe(true);

  await panel.getByTestId("push-pacs").click();
  await expect(panel.getByRole("alert")).toContainText("No PACS is configured");
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/dicom-export.png", fullPage: true });
});
