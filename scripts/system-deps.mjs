// The system tools the tests need beyond npm (plain Node: runs before anything is installed). `npm test`
// checks them first: as root with apt it installs what is missing, as anyone else it stops at once with the
// one command that installs them all. `.ci/run` uses the same list.
//   chromium + fonts: Playwright's browser (Playwright cannot download its own here)
//   dcmtk: the reference DICOM renderer; python3-pydicom, dicom3tools: real DICOM files nobody here wrote
//   orthanc + orthanc-dicomweb: a real PACS on loopback for the DICOMweb tests
//   docker-compose: validates the deployment file offline; python3-h5py: writes Keras weight fixtures
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";

export const systemPackages = [
  "chromium",
  "fonts-dejavu-core",
  "dcmtk",
  "python3-pydicom",
  "dicom3tools",
  "orthanc",
  "orthanc-dicomweb",
  "docker-compose",
  "python3-h5py",
];

const installed = (pkg) =>
  spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" }).stdout?.includes(
    "install ok installed",
  ) ?? false;

const has = (command) => spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;

export function missingSystemPackages() {
  if (!has("dpkg-query")) return [...systemPackages];
  return systemPackages.filter((p) => !installed(p));
}

export const installCommand = (pkgs) => `sudo apt-get install -y --no-install-recommends ${pkgs.join(" ")}`;

/** Installs what is missing when it can (root and apt), else exits with the command that would. */
export function ensureSystemPackages({ quiet = false } = {}) {
  const missing = missingSystemPackages();
  if (missing.length === 0) return;
  const root = process.getuid?.() === 0;
  if (!root || !has("apt-get")) {
    console.error(
      `The tests need system packages that are not installed: ${missing.join(", ")}.\n` +
        `Install them (Debian/Ubuntu) with:\n\n  ${installCommand(missing)}\n`,
    );
    process.exit(1);
  }
  if (!quiet) console.log(`Installing the tests' system packages: ${missing.join(", ")} (apt-get)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const step = (args) => {
    const r = spawnSync("apt-get", args, { stdio: quiet ? "ignore" : "inherit", env });
    if (r.status !== 0) {
      console.error(
        `apt-get ${args.join(" ")} failed; install them by hand:\n\n  ${installCommand(missing)}\n`,
      );
      process.exit(1);
    }
  };
  step(["update", "-qq"]);
  step(["install", "-y", "-qq", "--no-install-recommends", ...missing]);
  // Debian starts Orthanc as a service on install; the tests start their own on free ports
  if (missing.includes("orthanc")) spawnSync("service", ["orthanc", "stop"], { stdio: "ignore" });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) ensureSystemPackages();
