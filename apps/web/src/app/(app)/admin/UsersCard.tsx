"use client";
// Accounts: the list with role, status and actions (change role, deactivate / reactivate, reset password),
// and a form that creates one. A generated password is shown once, here, and never again.
import { roles, type Role } from "@cxr/domain";
import { Alert, Button, Card, FormField, StatusPill, type Column } from "@cxr/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formatDateTime } from "~/lib/format";
import { LoadedTable } from "~/components/Loaded";
import { useTRPC } from "~/trpc/react";
import { Choice } from "~/components/Choice";
// type-only: the module is server code and must not reach the browser bundle
import type { UserListItem } from "~/server/services/users";

const roleNames: Record<Role, string> = {
  ADMIN: "Administrator",
  RADIOLOGIST: "Radiologist",
  ANNOTATOR: "Annotator",
};

interface Secret {
  email: string;
  password: string;
  why: string;
}

export function UsersCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery({ ...trpc.admin.users.list.queryOptions(), staleTime: 0 });
  const [secret, setSecret] = useState<Secret | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() });
  const create = useMutation(
    trpc.admin.users.create.mutationOptions({
      onSuccess: (r) => {
        setSecret({ email: r.user.email, password: r.password, why: "created" });
        // shown at once, without waiting for the refetch below
        queryClient.setQueryData(trpc.admin.users.list.queryKey(), (list) =>
          list ? [...list, r.user] : list,
        );
      },
      onSettled: refresh,
    }),
  );
  const setRole = useMutation(trpc.admin.users.setRole.mutationOptions({ onSettled: refresh }));
  const setActive = useMutation(trpc.admin.users.setActive.mutationOptions({ onSettled: refresh }));
  const reset = useMutation(
    trpc.admin.users.resetPassword.mutationOptions({
      onSuccess: (r) => setSecret({ email: r.user.email, password: r.password, why: "reset" }),
    }),
  );
  const failed = [create, setRole, setActive, reset].find((m) => m.isError)?.error;

  const columns: Column<UserListItem>[] = [
    { key: "name", header: "Name", cell: (u) => u.name },
    { key: "email", header: "E-mail", cell: (u) => u.email },
    {
      key: "role",
      header: "Role",
      cell: (u) => (
        <select
          className="cxr-field__input"
          aria-label={`Role of ${u.email}`}
          value={u.role}
          disabled={setRole.isPending}
          onChange={(e) => setRole.mutate({ userId: u.id, role: e.target.value as Role })}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {roleNames[r]}
            </option>
          ))}
        </select>
      ),
    },
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
    {
      key: "actions",
      header: "Actions",
      cell: (u) => (
        <span className="admin-actions">
          <Button
            size="sm"
            variant={u.active ? "danger" : "secondary"}
            loading={setActive.isPending && setActive.variables?.userId === u.id}
            onClick={() => setActive.mutate({ userId: u.id, active: !u.active })}
            aria-label={`${u.active ? "Deactivate" : "Reactivate"} ${u.email}`}
          >
            {u.active ? "Deactivate" : "Reactivate"}
          </Button>
          <Button
            size="sm"
            variant="secondary"
            loading={reset.isPending && reset.variables?.userId === u.id}
            onClick={() => reset.mutate({ userId: u.id })}
            aria-label={`Reset the password of ${u.email}`}
          >
            Reset password
          </Button>
        </span>
      ),
    },
  ];

  return (
    <Card title={users.data ? `Users (${users.data.length})` : "Users"}>
      {secret ? (
        <div className="admin-secret" role="status" data-testid="generated-password">
          <span>
            {secret.why === "created" ? "Account created" : "Password reset"} for{" "}
            <strong>{secret.email}</strong>. Its password, shown only now:
          </span>
          <code>{secret.password}</code>
          <Button size="sm" variant="ghost" onClick={() => setSecret(null)}>
            Done, hide it
          </Button>
        </div>
      ) : null}
      {failed ? <Alert tone="error">{failed.message}</Alert> : null}
      <NewUserForm pending={create.isPending} onSubmit={(input) => create.mutate(input)} />
      <LoadedTable
        query={users}
        what="users"
        caption="Users"
        columns={columns}
        rowKey={(u) => u.id}
        empty={{ title: "No users yet", description: "Create the first account above." }}
      />
    </Card>
  );
}

function NewUserForm(props: {
  pending: boolean;
  onSubmit: (input: { email: string; name: string; role: Role }) => void;
}) {
  const [role, setRole] = useState<Role>("RADIOLOGIST");
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    props.onSubmit({ email: String(form.get("email")), name: String(form.get("name")), role });
    e.currentTarget.reset();
  };
  return (
    <form className="admin-form" onSubmit={submit} aria-label="New user" style={{ marginBottom: "1rem" }}>
      <FormField label="Name" name="name" required maxLength={200} autoComplete="off" />
      <FormField label="E-mail" name="email" type="email" required maxLength={320} autoComplete="off" />
      <Choice
        label="Role"
        value={role}
        options={roles}
        text={(r) => roleNames[r]}
        onChange={(r) => r && setRole(r)}
      />
      <Button type="submit" loading={props.pending}>
        Create user
      </Button>
    </form>
  );
}
