import { type ComponentType, type ReactNode } from "react";
import { cx } from "./cx";

export interface NavBarProps {
  brand: ReactNode;
  /** The navigation links (NavLink elements). */
  children?: ReactNode;
  /** Shown at the right: the signed-in user, a sign-out button. */
  end?: ReactNode;
  label?: string;
}

export function NavBar({ brand, children, end, label = "Main" }: NavBarProps) {
  return (
    <header className="cxr-navbar">
      <div className="cxr-navbar__brand">{brand}</div>
      <nav aria-label={label} className="cxr-navbar__nav">
        <ul className="cxr-navbar__links">{children}</ul>
      </nav>
      {end ? <div className="cxr-navbar__end">{end}</div> : null}
    </header>
  );
}

export interface LinkLikeProps {
  href: string;
  className?: string;
  "aria-current"?: "page";
  children?: ReactNode;
}

export interface NavLinkProps {
  href: string;
  active?: boolean;
  children: ReactNode;
  /** The router's link component (next/link); a plain anchor by default so the package stays framework-free. */
  linkComponent?: ComponentType<LinkLikeProps>;
}

function Anchor(props: LinkLikeProps) {
  return <a {...props} />;
}

export function NavLink({ href, active = false, children, linkComponent: Link = Anchor }: NavLinkProps) {
  return (
    <li>
      <Link
        href={href}
        className={cx("cxr-navlink", active && "cxr-navlink--active")}
        aria-current={active ? "page" : undefined}
      >
        {children}
      </Link>
    </li>
  );
}
