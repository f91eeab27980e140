import { type Role } from "@cxr/domain";
import { cx } from "./cx";

export const roleLabels: Record<Role, string> = {
  ADMIN: "Administrator",
  RADIOLOGIST: "Radiologist",
  ANNOTATOR: "Annotator",
};

export function RoleBadge({ role, className }: { role: Role; className?: string }) {
  return (
    <span className={cx("cxr-badge", `cxr-badge--${role.toLowerCase()}`, className)} data-role={role}>
      {roleLabels[role]}
    </span>
  );
}
