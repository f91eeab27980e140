import { getMe } from "~/server/services/users";
import { protectedProcedure, router } from "../trpc";

export const meRouter = router({
  get: protectedProcedure.query(({ ctx }) => getMe(ctx.db, ctx.session.user.id)),
});
