// Who gave the labels a run learns from: a reader's current correction names its reader, an adjudicated consensus
// its adjudicator, an imported label nobody; the run records the count per reader (model lineage shows it).
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { labelRows, trainingReaders } from "../src/training/dataset";
import { importImages, startTestService } from "./fixtures/service";

describe("labels per reader", () => {
  it("names each label's reader and counts them over training and validation rows only", async () => {
    const svc = await startTestService(inject("testDatabaseAdminUrl"));
    onTestFinished(() => svc.stop());
    const imageIds = await importImages(svc.db, svc.storageDir, 4);
    const labelSet = await svc.db.labelSet.findUniqueOrThrow({
      where: { name: "cxr-4class" },
      include: { classes: true },
    });
    const classId = (key: string) => labelSet.classes.find((c) => c.key === key)!.id;
    const [ana, ben] = await Promise.all(
      ["ana", "ben"].map((n) =>
        svc.db.user.create({ data: { email: `${n}@readers.local`, name: n, role: "RADIOLOGIST" } }),
      ),
    );
    const read = (imageId: string, readerId: string, key: string) =>
      svc.db.read.create({
        data: { imageId, labelSetId: labelSet.id, classId: classId(key), source: "READER", readerId },
      });
    await read(imageIds[0]!, ana!.id, "covid-19");
    await read(imageIds[1]!, ana!.id, "normal");
    await read(imageIds[2]!, ben!.id, "pneumonia");
    // ben adjudicates image 0: consensus wins over ana's read
    await svc.db.consensus.create({
      data: {
        imageId: imageIds[0]!,
        labelSetId: labelSet.id,
        classId: classId("pneumonia"),
        method: "ADJUDICATED",
        decidedById: ben!.id,
      },
    });

    const rows = await labelRows(svc.db, labelSet.id, ["CONSENSUS", "CORRECTED", "IMPORTED"]);
    const of = (i: number) => rows.find((r) => r.imageId === imageIds[i]);
    expect([of(0), of(1), of(2)].map((r) => [r?.source, r?.readerId])).toEqual([
      ["CONSENSUS", ben!.id],
      ["CORRECTED", ana!.id],
      ["CORRECTED", ben!.id],
    ]);
    expect(of(3)?.readerId ?? null).toBeNull();

    const withSplits = (splits: ("TRAIN" | "VALIDATION" | "TEST")[]) =>
      rows.map((r) => ({ ...r, split: splits[imageIds.indexOf(r.imageId)] ?? null }));
    // image 2 (ben's read) in the locked test split does not count
    expect(trainingReaders(withSplits(["TRAIN", "VALIDATION", "TEST"]))).toEqual({
      [ben!.id]: 1,
      [ana!.id]: 1,
    });
    expect(trainingReaders(withSplits(["TRAIN", "VALIDATION", "TRAIN", "TRAIN"]))).toEqual({
      [ben!.id]: 2,
      [ana!.id]: 1,
    });
  });
});
