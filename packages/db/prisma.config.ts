import { defineConfig } from "prisma/config";

// Prisma 7 reads the connection from here, not from schema.prisma. Only the CLI uses this file;
// the app connects through @prisma/adapter-pg (src/client.ts).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/unused" },
});
