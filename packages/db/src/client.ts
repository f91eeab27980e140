import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;

/** A Prisma client over node-postgres (Prisma 7 talks to the database through a driver adapter). */
export function createDb(databaseUrl: string, options: { max?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.max ?? 10 });
  // a burst of readers can hold every pooled connection for a moment: a transaction waits up to 10 s for one
  // (Prisma's default is 2 s, after which the request fails with a 5xx although nothing is wrong)
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000 } });
}
