import { idSchema, roleSchema } from "@cxr/domain";
import { z } from "zod";
import { liftLockout, listLockouts } from "~/server/auth/throttle";
import * as users from "~/server/services/users";
import { roleProcedure, router } from "../trpc";

const adminProcedure = roleProcedure("ADMIN");
const userId = z.object({ userId: idSchema });

/** ADMIN only, every procedure: accounts and the sign-in rate limit. */
export const adminRouter = router({
  users: router({
    list: adminProcedure.query(({ ctx }) => users.listUsers(ctx.db)),
    /** the generated password is in the answer, once */
    create: adminProcedure
      .input(users.newUserSchema)
      .mutation(({ ctx, input }) => users.createUser(ctx.db, ctx.session.user, input)),
    setRole: adminProcedure
      .input(userId.extend({ role: roleSchema }))
      .mutation(({ ctx, input }) => users.changeRole(ctx.db, ctx.session.user, input.userId, input.role)),
    setActive: adminProcedure
      .input(userId.extend({ active: z.boolean() }))
      .mutation(({ ctx, input }) =>
        users.setUserActive(ctx.db, ctx.session.user, input.userId, input.active),
      ),
    resetPassword: adminProcedure
      .input(userId)
      .mutation(({ ctx, input }) => users.resetPassword(ctx.db, ctx.session.user, input.userId)),
  }),
  /** the sign-in rate limit's blocks: accounts locked out and addresses blocked now */
  signIn: router({
    lockouts: adminProcedure.query(({ ctx }) => listLockouts(ctx.db)),
    lift: adminProcedure
      .input(z.object({ kind: z.enum(["ACCOUNT", "ADDRESS"]), subject: z.string().min(1).max(320) }))
      .mutation(({ ctx, input }) => liftLockout(ctx.db, ctx.session.user, input)),
  }),
});
