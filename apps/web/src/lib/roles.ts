// Which role may open which page. Shared by the proxy (redirects), the layouts (navigation) and the
// pages (a second check, in case a matcher ever misses a route). The roles themselves are @cxr/domain's.
import { type Role } from "@cxr/domain";

export const roleHome: Record<Role, string> = {
  ADMIN: "/admin",
  RADIOLOGIST: "/worklist",
  ANNOTATOR: "/tasks",
};

export interface NavItem {
  href: string;
  label: string;
  roles: readonly Role[];
}

export const navItems: readonly NavItem[] = [
  { href: "/worklist", label: "Worklist", roles: ["ADMIN", "RADIOLOGIST"] },
  { href: "/review", label: "Review", roles: ["ADMIN", "RADIOLOGIST"] },
  { href: "/upload", label: "Upload", roles: ["ADMIN", "RADIOLOGIST"] },
  { href: "/imports", label: "Imports", roles: ["ADMIN", "RADIOLOGIST"] },
  { href: "/models", label: "Models", roles: ["ADMIN", "RADIOLOGIST"] },
  { href: "/training", label: "Training", roles: ["ADMIN", "RADIOLOGIST"] },
  { href: "/audit", label: "Audit", roles: ["ADMIN", "RADIOLOGIST"] },
  { href: "/audit-log", label: "Audit log", roles: ["ADMIN"] },
  { href: "/tasks", label: "Annotation tasks", roles: ["ADMIN", "ANNOTATOR"] },
  { href: "/adjudication", label: "Adjudication", roles: ["ADMIN", "RADIOLOGIST"] },
  { href: "/campaigns", label: "Campaigns", roles: ["ADMIN"] },
  { href: "/admin", label: "Administration", roles: ["ADMIN"] },
];

export function navItemsFor(role: Role): NavItem[] {
  return navItems.filter((item) => item.roles.includes(role));
}

function section(pathname: string): NavItem | undefined {
  return navItems.find((item) => pathname === item.href || pathname.startsWith(`${item.href}/`));
}

/** True for any path outside the role-restricted sections, and for sections the role belongs to. */
export function canVisit(role: Role, pathname: string): boolean {
  const item = section(pathname);
  return !item || item.roles.includes(role);
}

/**
 * The path to return to after sign-in. Only the path of whatever was given is kept, so a crafted
 * callbackUrl cannot send a user to another site; sign-in and API paths fall back to the role's home.
 */
export function safeCallbackPath(value: string | null | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value, "http://localhost");
  } catch {
    return null;
  }
  const path = `${url.pathname}${url.search}`;
  if (!path.startsWith("/") || path.startsWith("//") || path === "/") return null;
  if (path.startsWith("/signin") || path.startsWith("/api/")) return null;
  return path;
}
