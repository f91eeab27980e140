// Row ids as the API accepts them: Prisma's cuids, and the ids of imported rows, are short opaque strings.
import { z } from "zod";

export const idSchema = z.string().min(1).max(64);
export type Id = z.infer<typeof idSchema>;
