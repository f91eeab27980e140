// Decoded images by URL, so the next cases are ready before the reader asks for them (prefetch) and
// switching case paints from memory. Bounded: full-resolution images are large.
const MAX = 24;
const cache = new Map<string, Promise<HTMLImageElement>>();

export function loadImage(url: string): Promise<HTMLImageElement> {
  const hit = cache.get(url);
  if (hit) {
    // refresh its place in the LRU order
    cache.delete(url);
    cache.set(url, hit);
    return hit;
  }
  const promise = new Promise<HTMLImageElement>((resolve, reject) => {
    const img = new Image();
    img.decoding = "async";
    img.onload = () => {
      img
        .decode()
        .catch(() => undefined)
        .then(() => resolve(img));
    };
    img.onerror = () => reject(new Error(`could not load ${url}`));
    img.src = url;
  });
  promise.catch(() => cache.delete(url));
  cache.set(url, promise);
  while (cache.size > MAX) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
  return promise;
}

export const imageUrl = (imageId: string) => `/api/objects/images/${encodeURIComponent(imageId)}/master`;
export const gradCamUrl = (mapId: string) => `/api/objects/gradcam/${encodeURIComponent(mapId)}`;
