import NextAuth from "next-auth";
import { type NextRequest } from "next/server";
import { authOptions } from "~/server/auth/options";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// The options are built on the first request (not at import) because they need the runtime environment.
function handler(req: NextRequest, context: RouteContext): Promise<Response> {
  return NextAuth(req, context, authOptions()) as Promise<Response>;
}

export { handler as GET, handler as POST };
