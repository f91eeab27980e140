import { PageHeader } from "@cxr/ui";
import { type Metadata } from "next";
import Link from "next/link";
import { requireRole } from "~/server/auth/session";
import "../../admin/admin.css";
import { NewCampaignForm } from "./NewCampaignForm";

export const metadata: Metadata = { title: "New campaign" };

export default async function NewCampaignPage() {
  await requireRole("ADMIN");
  return (
    <>
      <PageHeader
        title="New campaign"
        description="Which images, who reads them and how: the images are assigned to the readers when you create it."
        actions={<Link href="/campaigns">All campaigns</Link>}
      />
      <NewCampaignForm />
    </>
  );
}
