"use client";
import { NavLink } from "@cxr/ui";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { type NavItem } from "~/lib/roles";

/** The role's links, with the current section marked (needs the pathname, hence a client component). */
export function AppNav({ items }: { items: Pick<NavItem, "href" | "label">[] }) {
  const pathname = usePathname();
  return (
    <>
      {items.map((item) => (
        <NavLink
          key={item.href}
          href={item.href}
          active={pathname === item.href || pathname.startsWith(`${item.href}/`)}
          linkComponent={Link}
        >
          {item.label}
        </NavLink>
      ))}
    </>
  );
}
