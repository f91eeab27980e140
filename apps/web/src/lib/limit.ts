/**
 * Runs at most `concurrency` tasks at once; the rest wait in order. Used by the browser (files in flight)
 * and the upload route (decodes at once on a small server).
 */
export function createLimiter(concurrency: number) {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error("concurrency must be a positive integer");
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    running -= 1;
    const next = waiting.shift();
    if (next) {
      running += 1;
      next();
    }
  };

  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (running < concurrency) running += 1;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await task();
      } finally {
        release();
      }
    },
    get active() {
      return running;
    },
    get queued() {
      return waiting.length;
    },
  };
}

export type Limiter = ReturnType<typeof createLimiter>;
