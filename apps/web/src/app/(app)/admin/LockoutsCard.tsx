"use client";
// Sign-in lockouts: accounts and addresses the rate limit blocks now, each with a button that lifts it.
import { Alert, Button, Card, type Column } from "@cxr/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { formatDateTime } from "~/lib/format";
import { LoadedTable } from "~/components/Loaded";
import { useTRPC } from "~/trpc/react";
// type-only: the module is server code and must not reach the browser bundle
import type { SignInLockout } from "~/server/auth/throttle";

export function LockoutsCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const lockouts = useQuery({ ...trpc.admin.signIn.lockouts.queryOptions(), staleTime: 0 });
  const lift = useMutation(
    trpc.admin.signIn.lift.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.admin.signIn.lockouts.queryKey() }),
    }),
  );

  const columns: Column<SignInLockout>[] = [
    {
      key: "subject",
      header: "Locked",
      cell: (l) =>
        l.kind === "ACCOUNT" ? (l.user ? `${l.user.name} (${l.subject})` : l.subject) : l.subject,
    },
    { key: "kind", header: "Kind", cell: (l) => (l.kind === "ACCOUNT" ? "Account" : "Network address") },
    { key: "failures", header: "Failures in a row", cell: (l) => l.failures },
    {
      key: "blockedUntil",
      header: "Until",
      cell: (l) => <time dateTime={l.blockedUntil.toISOString()}>{formatDateTime(l.blockedUntil)}</time>,
    },
    {
      key: "lift",
      header: "Action",
      cell: (l) => (
        <Button
          size="sm"
          variant="secondary"
          loading={lift.isPending && lift.variables?.subject === l.subject}
          onClick={() => lift.mutate({ kind: l.kind, subject: l.subject })}
          aria-label={`Lift lockout of ${l.subject}`}
        >
          Lift lockout
        </Button>
      ),
    },
  ];

  return (
    <Card title="Sign-in lockouts">
      {lift.isError ? (
        <Alert tone="error">The lockout could not be lifted: {lift.error.message}</Alert>
      ) : null}
      <LoadedTable
        query={lockouts}
        what="lockouts"
        caption="Sign-in lockouts"
        columns={columns}
        rowKey={(l) => `${l.kind}:${l.subject}`}
        empty={{
          title: "No lockouts",
          description: "Accounts and addresses are blocked for a while after repeated failed sign-ins.",
        }}
      />
    </Card>
  );
}
