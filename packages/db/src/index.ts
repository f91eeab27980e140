export { createDb, type Db } from "./client";
export * from "./generated/prisma/client";
export { recordAudit } from "./audit";
