import { PageHeader } from "@cxr/ui";
import { type Metadata } from "next";
import Link from "next/link";
import { requireRole } from "~/server/auth/session";
import "../admin/admin.css";
import { CampaignList } from "./CampaignList";

export const metadata: Metadata = { title: "Campaigns" };

export default async function CampaignsPage() {
  await requireRole("ADMIN");
  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Annotation and reading campaigns: their images, readers and progress."
        actions={
          <Link className="cxr-button cxr-button--primary cxr-button--md" href="/campaigns/new">
            New campaign
          </Link>
        }
      />
      <CampaignList />
    </>
  );
}
