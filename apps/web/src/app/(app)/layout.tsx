import { NavBar, RoleBadge } from "@cxr/ui";
import Link from "next/link";
import { redirect } from "next/navigation";
import { type ReactNode } from "react";
import { AppNav } from "~/components/AppNav";
import { InferenceStatus } from "~/components/InferenceStatus";
import { SignOutButton } from "~/components/SignOutButton";
import { navItemsFor, roleHome } from "~/lib/roles";
import { getActiveSession } from "~/server/auth/session";
import { TRPCReactProvider } from "~/trpc/react";

/** The signed-in shell: navigation for the user's role, who is signed in, and service status. */
export default async function AppLayout({ children }: { children: ReactNode }) {
  const session = await getActiveSession();
  if (!session) redirect("/signin");
  const { name, role } = session.user;
  const items = navItemsFor(role).map(({ href, label }) => ({ href, label }));

  return (
    <TRPCReactProvider>
      <div className="app-shell">
        <NavBar
          brand={
            <Link href={roleHome[role]} className="app-brand">
              CXR <span>Review</span>
            </Link>
          }
          end={
            <>
              <span className="app-user" data-testid="current-user">
                <span className="app-user__name">{name}</span>
                <RoleBadge role={role} />
              </span>
              <SignOutButton />
            </>
          }
        >
          <AppNav items={items} />
        </NavBar>
        <main className="app-main">{children}</main>
        <footer className="app-footer">
          <span>CXR Review · decision support, not a diagnosis</span>
          <InferenceStatus />
        </footer>
      </div>
    </TRPCReactProvider>
  );
}
