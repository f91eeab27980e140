// The inference API's enums come from @cxr/domain as plain lists; the database's enums are their source.
import { Architecture, LabelSource, ModelStatus, TrainingMode, TrainingStatus } from "@cxr/db";
import {
  labelSources,
  modelArchitectures,
  modelStatuses,
  trainingModes,
  trainingStatuses,
} from "@cxr/domain";
import { describe, expect, it } from "vitest";

describe("the contract's enums", () => {
  it("are the database's, value for value", () => {
    const pairs: [readonly string[], Record<string, string>][] = [
      [modelStatuses, ModelStatus],
      [modelArchitectures, Architecture],
      [trainingModes, TrainingMode],
      [labelSources, LabelSource],
      [trainingStatuses, TrainingStatus],
    ];
    for (const [contract, prisma] of pairs)
      expect([...contract].sort()).toEqual(Object.values(prisma).sort());
  });
});
