import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ProbabilityBars } from "../src";

describe("ProbabilityBars", () => {
  it("shows each class as a labelled meter with its percentage, and a dash for a class without output", () => {
    render(
      <ProbabilityBars
        label="Probabilities from cnn v3"
        items={[
          { key: "a", label: "Normal", value: 0.1234, highlight: false },
          { key: "b", label: "COVID-19", value: 0.8766, highlight: true },
          { key: "c", label: "Other", value: null },
        ]}
      />,
    );
    expect(screen.getByRole("list", { name: "Probabilities from cnn v3" })).toBeTruthy();
    const meter = screen.getByRole("meter", { name: "COVID-19" });
    expect(meter.getAttribute("aria-valuetext")).toBe("87.7%");
    expect(screen.getByText("12.3%")).toBeTruthy();
    expect(screen.getByRole("meter", { name: "Other" }).getAttribute("aria-valuetext")).toBe("not predicted");
    expect(screen.getByText("—")).toBeTruthy();
  });
});
