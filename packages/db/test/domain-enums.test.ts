// @cxr/domain declares the enumerations as plain lists so that browsers and packages without Prisma's client
// can share them; the schema stays their source. This fails when the two disagree, at run time (the values,
// in the schema's order) and at type-check time (the types).
import {
  annotationShapes,
  modalities,
  queueStrategies,
  readingPhases,
  readerStudyDesigns,
  roles,
  splits,
  viewPositions,
  type AnnotationShape,
  type Modality,
  type QueueStrategy,
  type ReadingPhase,
  type ReaderStudyDesign,
  type Role,
  type Split,
  type ViewPosition,
} from "@cxr/domain";
import { describe, expect, expectTypeOf, it } from "vitest";
import { $Enums } from "../src";

/** Each of the domain's lists under the name of Prisma's enum it mirrors. */
const domainLists = {
  Role: roles,
  Modality: modalities,
  ViewPosition: viewPositions,
  AnnotationShape: annotationShapes,
  Split: splits,
  QueueStrategy: queueStrategies,
  ReadingPhase: readingPhases,
  ReaderStudyDesign: readerStudyDesigns,
} satisfies Partial<Record<keyof typeof $Enums, readonly string[]>>;

describe("@cxr/domain's enums", () => {
  it.each(Object.entries(domainLists))("%s equals Prisma's enum of the same name", (name, list) => {
    const prisma = $Enums[name as keyof typeof domainLists];
    expect([...list]).toEqual(Object.values(prisma));
  });

  it("have the same types as Prisma's", () => {
    expectTypeOf<Role>().toEqualTypeOf<$Enums.Role>();
    expectTypeOf<ReadingPhase>().toEqualTypeOf<$Enums.ReadingPhase>();
    expectTypeOf<ReaderStudyDesign>().toEqualTypeOf<$Enums.ReaderStudyDesign>();
    expectTypeOf<Modality>().toEqualTypeOf<$Enums.Modality>();
    expectTypeOf<ViewPosition>().toEqualTypeOf<$Enums.ViewPosition>();
    expectTypeOf<AnnotationShape>().toEqualTypeOf<$Enums.AnnotationShape>();
    expectTypeOf<Split>().toEqualTypeOf<$Enums.Split>();
    expectTypeOf<QueueStrategy>().toEqualTypeOf<$Enums.QueueStrategy>();
  });
});
