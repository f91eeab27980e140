// Route protection before rendering: signed-out visitors go to /signin, and a user who opens another
// role's section is sent to their own home. Pages check again on the server (requireRole), and the API
// checks in its procedures, so this is the fast path, not the only guard.
import { isRole } from "@cxr/domain";
import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "~/env";
import { canVisit, roleHome } from "~/lib/roles";

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  const token = await getToken({ req: request, secret: env().NEXTAUTH_SECRET });
  const role = token?.role;

  if (!token?.uid || !isRole(role)) {
    const signin = new URL("/signin", request.url);
    if (pathname !== "/") signin.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(signin);
  }
  if (pathname === "/" || !canVisit(role, pathname)) {
    return NextResponse.redirect(new URL(roleHome[role], request.url));
  }
  return NextResponse.next();
}

export const config = {
  // every page except the sign-in page, the API (it answers 401/403 itself) and static assets
  matcher: ["/((?!api/|signin|_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
