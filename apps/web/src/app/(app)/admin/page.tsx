import { Card, DataTable, EmptyState, PageHeader, RoleBadge, StatusPill, type Column } from "@cxr/ui";
import { type Metadata } from "next";
import { formatDateTime } from "~/lib/format";
import { requireRole } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { listUsers, type UserListItem } from "~/server/services/users";
import { LockoutsCard } from "./LockoutsCard";

export const metadata: Metadata = { title: "Administration" };

const columns: Column<UserListItem>[] = [
  { key: "name", header: "Name", cell: (u) => u.name },
  { key: "email", header: "E-mail", cell: (u) => u.email },
  { key: "role", header: "Role", cell: (u) => <RoleBadge role={u.role} /> },
  {
    key: "active",
    header: "Status",
    cell: (u) => (
      <StatusPill tone={u.active ? "ok" : "neutral"}>{u.active ? "Active" : "Inactive"}</StatusPill>
    ),
  },
  {
    key: "lastLoginAt",
    header: "Last sign-in",
    cell: (u) =>
      u.lastLoginAt ? (
        <time dateTime={u.lastLoginAt.toISOString()}>{formatDateTime(u.lastLoginAt)}</time>
      ) : (
        "Never"
      ),
  },
];

export default async function AdminPage() {
  await requireRole("ADMIN");
  const users = await listUsers(getDb());
  return (
    <>
      <PageHeader
        title="Administration"
        description="Accounts and roles of everyone who uses the platform."
      />
      <Card title={`Users (${users.length})`}>
        <DataTable
          caption="Users"
          columns={columns}
          rows={users}
          rowKey={(u) => u.id}
          empty={<EmptyState title="No users yet" description="Run the seed or create an account." />}
        />
      </Card>
      <LockoutsCard />
    </>
  );
}
