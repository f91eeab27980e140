// `gradcam --model MODEL_DIR --image PNG --out OVERLAY.png [--class NAME] [--raw MAP.png] [--opacity A]
//          [--variant standard|guided] [--layer NAME]`
import { z } from "zod";
import { gradCam } from "../gradcam/gradcam";
import { overlay } from "../gradcam/overlay";
import { resizeMap } from "../gradcam/resize";
import { readGray } from "../image/decode";
import { encodeGray16, encodeRgb, writePng } from "../image/encode";
import { loadModelVersion } from "../model-version";
import { preprocess } from "../preprocess";
import { numberFlag, parseCommand, pathFlag } from "./args";

const schema = z.object({
  model: pathFlag("model version folder"),
  image: pathFlag("input image"),
  out: pathFlag("overlay PNG to write"),
  class: z.string().min(1).optional(),
  raw: z.string().min(1).optional(),
  opacity: numberFlag(0, 1).default(0.4),
  variant: z.enum(["standard", "guided"]).default("standard"),
  layer: z.string().min(1).optional(),
});

export async function gradcamCommand(argv: string[]): Promise<void> {
  const s = { type: "string" } as const;
  const a = parseCommand(
    argv,
    { model: s, image: s, out: s, class: s, raw: s, opacity: s, variant: s, layer: s },
    schema,
  );
  const image = await readGray(a.image);
  const { classifier } = await loadModelVersion(a.model);
  try {
    let classIndex: number | undefined;
    if (a.class !== undefined) {
      classIndex = classifier.classes.indexOf(a.class);
      if (classIndex < 0)
        throw new Error(`--class: "${a.class}" is not one of ${classifier.classes.join(", ")}`);
    }
    const batch = preprocess([image], classifier);
    let result;
    try {
      result = await gradCam(classifier, batch, {
        variant: a.variant,
        ...(classIndex !== undefined ? { classIndex } : {}),
        ...(a.layer ? { targetLayer: a.layer } : {}),
      });
    } finally {
      batch.dispose();
    }
    const map = result.maps[0];
    const probs = result.probs[0];
    if (!map || !probs) throw new Error("Grad-CAM produced no map");
    await writePng(a.out, await encodeRgb(overlay(image, map, a.opacity)));
    if (a.raw) await writePng(a.raw, encodeGray16(resizeMap(map, image.width, image.height)));
    const k = result.classIndex[0] ?? 0;
    console.log(
      JSON.stringify({
        class: classifier.classes[k],
        probs: Object.fromEntries(classifier.classes.map((c, i) => [c, probs[i]])),
        overlay: a.out,
        raw: a.raw ?? null,
      }),
    );
  } finally {
    classifier.model.dispose();
  }
}
