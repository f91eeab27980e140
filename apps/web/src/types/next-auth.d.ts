// What our sessions and tokens carry beyond next-auth's defaults.
import { type DefaultSession } from "next-auth";
import { type Role } from "@cxr/domain";

declare module "next-auth" {
  interface Session {
    user: {
      id: string;
      name: string;
      email: string;
      role: Role;
    } & Omit<NonNullable<DefaultSession["user"]>, "name" | "email">;
  }

  interface User {
    role?: Role;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: Role;
  }
}
