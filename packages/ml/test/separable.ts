// Embeddings two classes can be told apart by (class 1 is shifted by 1), with a fixed pattern as the rest: what
// the head-training tests learn from.
export function separableEmbeddings(n: number, size: number): { x: Float32Array; labels: number[] } {
  const labels = Array.from({ length: n }, (_, i) => i % 2);
  const x = Float32Array.from({ length: n * size }, (_, j) => {
    const i = Math.floor(j / size);
    return (labels[i] === 1 ? 1 : 0) + ((j * 37) % 11) / 22;
  });
  return { x, labels };
}
