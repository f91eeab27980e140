// The viewer's pictures: the image (from the prefetch cache when the workspace asked for it ahead of time),
// windowed and inverted through a lookup table into a canvas konva draws, and the Grad-CAM map coloured with
// its colormap and threshold. The default window costs no pass over the pixels: the decoded image is drawn.
import { useEffect, useMemo, useState } from "react";
import { colorize, type Colormap } from "../colormap";
import { loadImage } from "../image-cache";
import { applyWindowLut, isIdentityWindow, windowLut, type Window } from "../windowing";

interface Grey {
  width: number;
  height: number;
  values: Uint8ClampedArray;
}

const greys = new WeakMap<HTMLImageElement, Grey>();

/** A decoded image's pixels (grey in R), read once per image and only when windowing needs them. */
function readGrey(img: HTMLImageElement): Grey {
  const hit = greys.get(img);
  if (hit) return hit;
  const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  if (!ctx) throw new Error("no 2D canvas");
  ctx.drawImage(img, 0, 0);
  const grey = {
    width: canvas.width,
    height: canvas.height,
    values: ctx.getImageData(0, 0, canvas.width, canvas.height).data,
  };
  greys.set(img, grey);
  return grey;
}

/** The image at `url` once decoded; null while it loads (or when it failed) and at once for a new url. */
function useLoadedImage(url: string | null): HTMLImageElement | null {
  const [loaded, setLoaded] = useState<{ url: string; img: HTMLImageElement } | null>(null);
  useEffect(() => {
    if (!url) return;
    let live = true;
    loadImage(url)
      .then((img) => live && setLoaded({ url, img }))
      .catch(() => live && setLoaded(null));
    return () => {
      live = false;
    };
  }, [url]);
  return url && loaded?.url === url ? loaded.img : null;
}

interface Options {
  imageUrl: string;
  heatmapUrl: string | null;
  window: Window;
  invert: boolean;
  colormap: Colormap;
  threshold: number;
  /** the windowed canvas changed in place: konva must draw again */
  onRedraw: () => void;
}

export function useViewerImages(o: Options) {
  const img = useLoadedImage(o.imageUrl);
  const heat = useLoadedImage(o.heatmapUrl);
  const identity = isIdentityWindow(o.window, o.invert);

  const windowed = useMemo(() => {
    if (!img || identity) return null;
    const { width, height } = readGrey(img);
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    return { canvas, ctx: canvas.getContext("2d"), data: new ImageData(width, height) };
  }, [img, identity]);

  const { window: win, invert, onRedraw } = o;
  useEffect(() => {
    if (!windowed?.ctx || !img) return;
    applyWindowLut(readGrey(img).values, windowed.data.data, windowLut(win, invert));
    windowed.ctx.putImageData(windowed.data, 0, 0);
    onRedraw();
    // onRedraw is the viewer's stage, whatever the render: the pixels are what matter
  }, [windowed, img, win, invert]);

  const heatCanvas = useMemo(() => {
    if (!heat) return null;
    const canvas = document.createElement("canvas");
    canvas.width = heat.naturalWidth;
    canvas.height = heat.naturalHeight;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    if (!ctx) return null;
    ctx.drawImage(heat, 0, 0);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
    colorize(data.data, o.colormap, o.threshold);
    ctx.putImageData(data, 0, 0);
    return canvas;
  }, [heat, o.colormap, o.threshold]);

  return { image: img, picture: windowed?.canvas ?? img, heatCanvas };
}
