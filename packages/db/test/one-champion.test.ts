// The database itself keeps one champion per label set: a second CHAMPION row of the same label set is refused,
// whatever code writes it; other statuses, and champions of other label sets, are not limited.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { seed } from "../src/seed";
import { createTestDatabase, type TestDatabase } from "../src/testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase(inject("testDatabaseAdminUrl"));
  await seed(t.db, []);
});
afterAll(() => t.close());

describe("one champion per label set", () => {
  it("refuses a second champion of a label set, allows one per label set and any number of others", async () => {
    const labelSets = await t.db.labelSet.findMany({ take: 2, orderBy: { name: "asc" } });
    expect(labelSets).toHaveLength(2);
    const [a, b] = labelSets as [(typeof labelSets)[0], (typeof labelSets)[0]];
    let version = 0;
    const create = (labelSetId: string, status: "CHAMPION" | "CANDIDATE" | "RETIRED") =>
      t.db.modelVersion.create({
        data: {
          labelSetId,
          version: ++version,
          name: `v${version}`,
          architecture: "COMPACT_CNN",
          inputSize: 16,
          targetLayer: "last_conv",
          storageUri: `/models/v${version}`,
          checksum: "0".repeat(64),
          status,
        },
      });
    await create(a.id, "CHAMPION");
    await create(a.id, "CANDIDATE");
    await create(a.id, "CANDIDATE");
    await create(a.id, "RETIRED");
    await create(a.id, "RETIRED");
    await create(b.id, "CHAMPION");
    await expect(create(a.id, "CHAMPION")).rejects.toThrow(/Unique constraint/i);
    const candidate = await create(a.id, "CANDIDATE");
    await expect(
      t.db.modelVersion.update({ where: { id: candidate.id }, data: { status: "CHAMPION" } }),
    ).rejects.toThrow(/Unique constraint/i);
    expect(await t.db.modelVersion.count({ where: { labelSetId: a.id, status: "CHAMPION" } })).toBe(1);
  });
});
