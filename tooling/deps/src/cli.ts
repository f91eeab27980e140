// `npm run lint -w @cxr/deps` (and so `npm test`): checks the whole repository against the dependency rule and
// exits non-zero, listing each forbidden import, when something breaks it.
import { checkRepository, describeViolation } from "./check";

const started = performance.now();
const violations = await checkRepository();
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (violations.length > 0) {
  console.error("The dependency rule is broken (tooling/deps/src/rules.ts says why):");
  for (const v of violations) console.error(`  ${describeViolation(v)}`);
  process.exit(1);
}
console.log(`dependency rule: no forbidden imports (${seconds} s)`);
