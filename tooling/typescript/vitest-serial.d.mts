/** vitest `test` settings: the package's test/**\/*.test.ts, one file at a time, both timeouts `timeoutMs`. */
export declare function serialSuite(timeoutMs: number): {
  include: string[];
  fileParallelism: boolean;
  testTimeout: number;
  hookTimeout: number;
};
