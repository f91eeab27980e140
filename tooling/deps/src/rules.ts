// Which workspace may import which: the layers of the monorepo, as dependency-cruiser rules. Paths are relative
// to the repository root and are the resolved files, so an import is caught however it is written: by package
// name (`@cxr/db`, `@cxr/inference/client`), by a relative path (`../../apps/web/src/x`), as `import type`, or
// re-exported.
import type { IForbiddenRuleType, IViolation } from "dependency-cruiser";

/** Libraries the contracts package must not load at run time or by type: it is imported by every layer. */
const heavyRuntimes = ["@tensorflow", "@prisma", "prisma", "react", "react-dom"];

export const dependencyRules: IForbiddenRuleType[] = [
  {
    name: "ui-imports-db",
    comment: "packages/ui draws what it is given; the database's types reach it through @cxr/domain",
    severity: "error",
    from: { path: "^packages/ui/" },
    to: { path: "^packages/db/" },
  },
  {
    name: "ml-imports-db",
    comment: "packages/ml trains and predicts on arrays; the inference service reads and writes the database",
    severity: "error",
    from: { path: "^packages/ml/" },
    to: { path: "^packages/db/" },
  },
  {
    name: "domain-imports-a-workspace",
    comment: "packages/domain is the bottom layer: every other workspace imports it, it imports none of them",
    severity: "error",
    from: { path: "^packages/domain/" },
    to: { path: "^(apps|packages|tooling)/", pathNot: "^packages/domain/" },
  },
  {
    name: "domain-imports-a-heavy-runtime",
    comment: "packages/domain runs in browsers and services alike: no tfjs, Prisma or React",
    severity: "error",
    from: { path: "^packages/domain/" },
    to: { path: `(^|/)node_modules/(${heavyRuntimes.join("|")})/` },
  },
  {
    name: "agreement-imports-a-workspace-or-runtime",
    comment: "packages/agreement is pure statistics over arrays: no workspace, no database, no React",
    severity: "error",
    from: { path: "^packages/agreement/" },
    to: {
      path: `^(apps|packages|tooling)/|(^|/)node_modules/(${heavyRuntimes.join("|")})/`,
      pathNot: "^packages/agreement/",
    },
  },
  {
    name: "dicom-export-imports-db-or-runtime",
    comment: "packages/dicom-export turns bytes and ROIs into DICOM: no database, no React, no tfjs",
    severity: "error",
    from: { path: "^packages/dicom-export/" },
    to: { path: `^packages/db/|(^|/)node_modules/(${heavyRuntimes.join("|")})/` },
  },
  {
    name: "package-imports-an-app",
    comment: "apps are built on packages, never the other way round",
    severity: "error",
    from: { path: "^(packages|tooling)/" },
    to: { path: "^apps/" },
  },
  {
    name: "app-imports-another-app",
    comment: "apps talk over their APIs; what two apps share (a client, a router type) lives in a package",
    severity: "error",
    from: { path: "^apps/([^/]+)/" },
    to: { path: "^apps/", pathNot: "^apps/$1/" },
  },
  {
    name: "unresolvable",
    comment: "an import the rules cannot follow could hide a forbidden one",
    severity: "error",
    from: {},
    to: { couldNotResolve: true },
  },
];

/**
 * Existing violations the check lets through for now. Each one names its rule, both files, and why; remove
 * it when the import is gone (the check does not complain about an exemption that no longer matches).
 */
export const temporaryExemptions: IViolation[] = [];
