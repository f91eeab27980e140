// The benchmark's plot: accuracy against labels per strategy, a vega-lite spec compiled to vega, rendered to SVG
// headless (no canvas needed), then to PNG with sharp.
import sharp from "sharp";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { type RoundResult } from "./al-core";

export async function plotCurves(curves: Record<string, readonly RoundResult[]>, target: number) {
  const values = Object.entries(curves).flatMap(([strategy, curve]) =>
    curve.map((r) => ({ strategy, labels: r.labels, accuracy: r.accuracy })),
  );
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: 560,
    height: 340,
    background: "white",
    title: "Active learning on phantoms: test accuracy vs labels (mean over seeds)",
    layer: [
      {
        data: { values },
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "labels", type: "quantitative", title: "labels read" },
          y: { field: "accuracy", type: "quantitative", title: "test accuracy", scale: { zero: false } },
          color: { field: "strategy", type: "nominal", title: "strategy" },
        },
      },
      {
        data: { values: [{ target }] },
        mark: { type: "rule", strokeDash: [4, 4], color: "gray" },
        encoding: { y: { field: "target", type: "quantitative" } },
      },
    ],
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG(2);
  view.finalize();
  return sharp(Buffer.from(svg)).png().toBuffer();
}
