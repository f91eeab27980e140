import { listUsers } from "~/server/services/users";
import { roleProcedure, router } from "../trpc";

const adminProcedure = roleProcedure("ADMIN");

export const adminRouter = router({
  users: router({
    list: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),
  }),
});
