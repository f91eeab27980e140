import { cx } from "./cx";

/** Mirrors @cxr/db's Role enum; declared here so the UI package does not depend on the database. */
export type UserRole = "ADMIN" | "RADIOLOGIST" | "ANNOTATOR";

export const roleLabels: Record<UserRole, string> = {
  ADMIN: "Administrator",
  RADIOLOGIST: "Radiologist",
  ANNOTATOR: "Annotator",
};

export function RoleBadge({ role, className }: { role: UserRole; className?: string }) {
  return (
    <span className={cx("cxr-badge", `cxr-badge--${role.toLowerCase()}`, className)} data-role={role}>
      {roleLabels[role]}
    </span>
  );
}
