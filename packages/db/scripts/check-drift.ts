// Exits non-zero when schema.prisma and the committed migrations disagree, printing the missing SQL.
import { pendingSchemaChanges } from "../src/migrate";
import { startTestServer } from "../src/testing";

const server = await startTestServer();
try {
  const sql = await pendingSchemaChanges(server.adminUrl);
  if (sql) {
    console.error(
      "schema.prisma has changes no migration holds. Run `npm run db:migration -- <name>`:\n" + sql,
    );
    process.exitCode = 1;
  } else {
    console.log("schema.prisma and the migrations agree.");
  }
} finally {
  await server.stop();
}
