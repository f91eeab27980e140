// What our sessions and tokens carry beyond next-auth's defaults.
import { type DefaultSession } from "next-auth";
import { type AppRole } from "~/lib/roles";

declare module "next-auth" {
  interface Session {
    user: {
      id: string;
      name: string;
      email: string;
      role: AppRole;
    } & Omit<NonNullable<DefaultSession["user"]>, "name" | "email">;
  }

  interface User {
    role?: AppRole;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: AppRole;
  }
}
