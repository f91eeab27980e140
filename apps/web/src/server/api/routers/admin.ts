import { z } from "zod";
import { liftLockout, listLockouts } from "~/server/auth/throttle";
import { listUsers } from "~/server/services/users";
import { roleProcedure, router } from "../trpc";

const adminProcedure = roleProcedure("ADMIN");

export const adminRouter = router({
  users: router({
    list: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),
  }),
  /** the sign-in rate limit's blocks: accounts locked out and addresses blocked now */
  signIn: router({
    lockouts: adminProcedure.query(({ ctx }) => listLockouts(ctx.db)),
    lift: adminProcedure
      .input(z.object({ kind: z.enum(["ACCOUNT", "ADDRESS"]), subject: z.string().min(1).max(320) }))
      .mutation(({ ctx, input }) => liftLockout(ctx.db, ctx.session.user, input)),
  }),
});
