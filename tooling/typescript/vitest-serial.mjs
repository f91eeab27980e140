// The test settings of the packages whose suites are heavy (image codecs, storage, wasm training): one test
// file at a time, since other engineers' suites share these 2 cores, with timeouts to match. Plain ESM
// JavaScript (typed by vitest-serial.d.mts): vitest's config loader hands a package's files to Node as they are.
/** @param {number} timeoutMs */
export function serialSuite(timeoutMs) {
  return {
    include: ["test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: timeoutMs,
    hookTimeout: timeoutMs,
  };
}
