import { TRPCError } from "@trpc/server";
import { getMe } from "~/server/services/users";
import { protectedProcedure, router } from "../trpc";

export const meRouter = router({
  get: protectedProcedure.query(async ({ ctx }) => {
    const me = await getMe(ctx.db, ctx.session.user.id);
    if (!me) throw new TRPCError({ code: "NOT_FOUND", message: "Your account no longer exists." });
    return me;
  }),
});
