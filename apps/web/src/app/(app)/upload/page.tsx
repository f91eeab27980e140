import { PageHeader } from "@cxr/ui";
import { type Metadata } from "next";
import Link from "next/link";
import { env } from "~/env";
import { requireRole } from "~/server/auth/session";
import { UploadPanel } from "./UploadPanel";

export const metadata: Metadata = { title: "Upload" };

export default async function UploadPage() {
  await requireRole("RADIOLOGIST");
  return (
    <>
      <PageHeader
        title="Upload"
        description={
          <>
            Add chest X-rays from this computer. Each file is checked before anything is stored; new images
            are queued for prediction. Data-set imports and PACS pulls are on the{" "}
            <Link href="/imports">imports</Link> page.
          </>
        }
      />
      <UploadPanel maxFileBytes={env().UPLOAD_MAX_BYTES} />
    </>
  );
}
