import { inject, describe, expect, it } from "vitest";
import { pendingSchemaChanges } from "../src/migrate";

describe("schema.prisma and the committed migrations", () => {
  it("agree (otherwise run `npm run db:migration -- <name>`)", async () => {
    const sql = await pendingSchemaChanges(inject("testDatabaseAdminUrl"));
    expect(sql).toBe("");
  });
});
