// Rotation augmentation as the report's ImageDataGenerator(rotation_range=15, fill_mode="nearest"): rotate about
// the centre, bilinear sampling, pixels from outside take the nearest edge value.
export function rotate(src: Float32Array, h: number, w: number, degrees: number): Float32Array {
  const out = new Float32Array(h * w);
  const theta = (degrees * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  const at = (y: number, x: number) =>
    src[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))] ?? 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // inverse mapping: where in the source does this output pixel come from
      const sx = cos * (x - cx) + sin * (y - cy) + cx;
      const sy = -sin * (x - cx) + cos * (y - cy) + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      out[y * w + x] =
        (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) +
        fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
    }
  }
  return out;
}
