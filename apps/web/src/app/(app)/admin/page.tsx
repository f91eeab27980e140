import { PageHeader } from "@cxr/ui";
import { type Metadata } from "next";
import Link from "next/link";
import { requireRole } from "~/server/auth/session";
import "./admin.css";
import { LockoutsCard } from "./LockoutsCard";
import { UsersCard } from "./UsersCard";

export const metadata: Metadata = { title: "Administration" };

export default async function AdminPage() {
  await requireRole("ADMIN");
  return (
    <>
      <PageHeader
        title="Administration"
        description="Accounts and roles of everyone who uses the platform."
        actions={
          <span className="admin-actions">
            <Link href="/admin/label-sets">Label sets</Link>
            <Link href="/campaigns">Campaigns</Link>
          </span>
        }
      />
      <div className="stack">
        <UsersCard />
        <LockoutsCard />
      </div>
    </>
  );
}
