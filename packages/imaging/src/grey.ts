/** A single-channel image: 16-bit for masters, 8-bit for display. */
export interface Grey16 {
  width: number;
  height: number;
  data: Uint16Array;
}

export interface Grey8 {
  width: number;
  height: number;
  data: Uint8Array;
}

/** 16-bit to 8-bit by rounding v / 257 (the exact inverse of 8-to-16 bit expansion). */
export function grey16To8(image: Grey16): Grey8 {
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.round((image.data[i] ?? 0) / 257);
  return { width: image.width, height: image.height, data };
}
