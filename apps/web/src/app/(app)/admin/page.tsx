import { type Metadata } from "next";
import Link from "next/link";
import { AdminPage } from "./AdminPage";
import { LockoutsCard } from "./LockoutsCard";
import { UsersCard } from "./UsersCard";

export const metadata: Metadata = { title: "Administration" };

const links = (
  <span className="admin-actions">
    <Link href="/admin/label-sets">Label sets</Link>
    <Link href="/campaigns">Campaigns</Link>
  </span>
);

export default function Administration() {
  return (
    <AdminPage
      title="Administration"
      description="Accounts and roles of everyone who uses the platform."
      actions={links}
    >
      <div className="stack">
        <UsersCard />
        <LockoutsCard />
      </div>
    </AdminPage>
  );
}
