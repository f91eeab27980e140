import { PageHeader } from "@cxr/ui";
import { type Metadata } from "next";
import { requireRole } from "~/server/auth/session";
import { ModelsView } from "./ModelsView";

export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage() {
  await requireRole("RADIOLOGIST");
  return (
    <>
      <PageHeader
        title="Models"
        description="Every model version per label set: its status, lineage, training data and locked-test figures with 95% intervals."
      />
      <ModelsView />
    </>
  );
}
