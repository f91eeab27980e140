import { expect, test } from "@playwright/test";
import { craftNativeImage, malformedDicoms } from "@cxr/imaging/testing";
import { account } from "./fixtures";
import { signInAs } from "./session";

// Issue 12 through `next start`: the crafted and malformed DICOM files are decoded in the server's decode
// worker and refused one by one, with their messages; the good file of the same upload is imported.
// (Named to run after upload.spec.ts, whose count of uploaded images must stay exact: files run in name order.)
test("malformed DICOM files among a good one: each rejected with its message, the good one imported", async ({
  page,
}) => {
  const malformed = malformedDicoms();
  await signInAs(page, account("RADIOLOGIST"));
  await page.goto("/upload");
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Choose files" }).click();
  await (
    await chooser
  ).setFiles([
    { name: "good.dcm", mimeType: "application/dicom", buffer: craftNativeImage(16, 16, 401) },
    ...malformed.map((m) => ({ name: m.name, mimeType: "application/dicom", buffer: m.bytes })),
  ]);
  await expect(page.getByTestId("upload-summary")).toHaveText(
    `${malformed.length + 1} files: 1 imported, 0 already stored, ${malformed.length} rejected.`,
  );
  const row = (name: string) =>
    page.getByRole("list", { name: "Uploads" }).getByRole("listitem").filter({ hasText: name });
  await expect(row("good.dcm")).toContainText("Imported");
  for (const bad of malformed) {
    await expect(row(bad.name)).toContainText("Rejected");
    await expect(row(bad.name)).toContainText(bad.expect);
  }
});
