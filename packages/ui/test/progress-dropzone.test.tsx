import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DropZone, ProgressBar } from "../src";

afterEach(cleanup);

describe("ProgressBar", () => {
  it("is a named progressbar with its value, clamped to the maximum", () => {
    render(<ProgressBar label="Upload of a.png" value={150} max={100} valueText="150 of 100 bytes" />);
    const bar = screen.getByRole("progressbar", { name: "Upload of a.png" }) as HTMLProgressElement;
    expect(bar.value).toBe(100);
    expect(bar.max).toBe(100);
    expect(bar.getAttribute("aria-valuetext")).toBe("150 of 100 bytes");
  });

  it("is indeterminate without a value", () => {
    render(<ProgressBar label="Processing" />);
    expect(screen.getByRole("progressbar", { name: "Processing" }).hasAttribute("value")).toBe(false);
  });
});

describe("DropZone", () => {
  const files = (types: string[]) => ({ dataTransfer: { types, dropEffect: "none" } });

  it("is a named group holding the alternatives to dragging", () => {
    render(
      <DropZone label="Upload images" title="Drop files here" onDrop={() => {}}>
        <button type="button">Choose files</button>
      </DropZone>,
    );
    const zone = screen.getByRole("group", { name: "Upload images" });
    expect(zone.textContent).toContain("Drop files here");
    expect(screen.getByRole("button", { name: "Choose files" })).toBeTruthy();
  });

  it("highlights while files are dragged over and hands the drop over", () => {
    const onDrop = vi.fn();
    render(<DropZone label="Upload images" title="Drop files here" onDrop={onDrop} />);
    const zone = screen.getByRole("group", { name: "Upload images" });
    fireEvent.dragEnter(zone, files(["Files"]));
    expect(zone.className).toContain("cxr-dropzone--active");
    fireEvent.dragLeave(zone, files(["Files"]));
    expect(zone.className).not.toContain("cxr-dropzone--active");
    fireEvent.dragEnter(zone, files(["Files"]));
    fireEvent.drop(zone, files(["Files"]));
    expect(onDrop).toHaveBeenCalledOnce();
    expect(zone.className).not.toContain("cxr-dropzone--active");
  });

  it("ignores text drags and every drop while disabled", () => {
    const onDrop = vi.fn();
    render(<DropZone label="Upload images" title="Drop" onDrop={onDrop} disabled />);
    const zone = screen.getByRole("group", { name: "Upload images" });
    fireEvent.dragEnter(zone, files(["text/plain"]));
    expect(zone.className).not.toContain("cxr-dropzone--active");
    fireEvent.drop(zone, files(["Files"]));
    expect(onDrop).not.toHaveBeenCalled();
    expect(zone.getAttribute("aria-disabled")).toBe("true");
  });
});
