import { describe, expect, it } from "vitest";
import { modelVersionLabel } from "~/server/services/review/model-choice";

describe("modelVersionLabel", () => {
  it("adds the version number to a name without it", () => {
    expect(modelVersionLabel({ name: "cxr-4class", version: 3 })).toBe("cxr-4class v3");
  });
  it("does not repeat the number the service already put in the name", () => {
    expect(modelVersionLabel({ name: "cxr-4class v1 (compact)", version: 1 })).toBe("cxr-4class v1 (compact)");
    expect(modelVersionLabel({ name: "imported v2", version: 2 })).toBe("imported v2");
  });
  it("adds it where the name holds another number or a longer one", () => {
    expect(modelVersionLabel({ name: "cxr-4class v1 (compact)", version: 2 })).toBe("cxr-4class v1 (compact) v2");
    expect(modelVersionLabel({ name: "cxr v12", version: 1 })).toBe("cxr v12 v1");
  });
});
