// The frame of every administration page (admin, label sets, campaigns): ADMIN only, checked on the server
// before anything renders, one page header, and the forms' styles.
import { PageHeader } from "@cxr/ui";
import { type ReactNode } from "react";
import { requireRole } from "~/server/auth/session";
import "./admin.css";

export async function AdminPage(props: {
  title?: string;
  description?: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  await requireRole("ADMIN");
  return (
    <>
      {props.title ? (
        <PageHeader title={props.title} description={props.description} actions={props.actions} />
      ) : null}
      {props.children}
    </>
  );
}
