import { PageHeader } from "@cxr/ui";
import { type Metadata } from "next";
import { requireRole } from "~/server/auth/session";
import { ImportsView } from "./ImportsView";

export const metadata: Metadata = { title: "Imports" };

export default async function ImportsPage() {
  await requireRole("RADIOLOGIST");
  return (
    <>
      <PageHeader
        title="Imports"
        description="Data-set imports and PACS pulls with their progress, and what each one skipped and why."
      />
      <ImportsView />
    </>
  );
}
