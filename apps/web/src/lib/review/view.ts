// Zoom and pan of the viewer's stage, as plain numbers: `scale` screen pixels per image pixel and the stage's
// offset on screen. A view is either fitted (it follows the viewport and the image, so a resize or a new image
// needs no step of its own) or fixed by the reader's zoom and pan.

export interface Size {
  width: number;
  height: number;
}

export interface View {
  scale: number;
  x: number;
  y: number;
}

export type ViewState = { fit: true } | ({ fit: false } & View);

/** What the view is laid over: the stage's size on screen and the content's size in image pixels. */
export interface Frame {
  viewport: Size;
  content: Size;
}

export const FIT: ViewState = { fit: true };
export const MIN_SCALE = 0.02;
export const MAX_SCALE = 40;
/** the gap between side-by-side panels, as a fraction of the image's width */
export const PANEL_GAP = 0.04;

/** The content of `panels` copies of the image side by side. */
export function contentSize(image: Size, panels: number): Size {
  return { width: image.width * (panels + PANEL_GAP * (panels - 1)), height: image.height };
}

/** Where panel `index` starts, in image pixels. */
export const panelX = (index: number, imageWidth: number) => index * imageWidth * (1 + PANEL_GAP);

/** The whole content centred with a small margin. */
export function fitView({ viewport, content }: Frame): View {
  const scale = Math.min(viewport.width / content.width, viewport.height / content.height) * 0.96;
  return {
    scale,
    x: (viewport.width - content.width * scale) / 2,
    y: (viewport.height - content.height * scale) / 2,
  };
}

export function resolveView(view: ViewState, frame: Frame): View {
  return view.fit ? fitView(frame) : { scale: view.scale, x: view.x, y: view.y };
}

/** Zooms by `factor` keeping the screen point `at` (default: the viewport's centre) over the same content. */
export function zoomView(view: View, factor: number, at: { x: number; y: number }): View {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
  const anchor = { x: (at.x - view.x) / view.scale, y: (at.y - view.y) / view.scale };
  return { scale, x: at.x - anchor.x * scale, y: at.y - anchor.y * scale };
}

export const centreOf = (viewport: Size) => ({ x: viewport.width / 2, y: viewport.height / 2 });

export const sameSize = (a: Size, b: Size) => a.width === b.width && a.height === b.height;

export const sameFrame = (a: Frame | null, b: Frame) =>
  a !== null && sameSize(a.viewport, b.viewport) && sameSize(a.content, b.content);
