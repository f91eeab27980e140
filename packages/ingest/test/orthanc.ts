// A real PACS for the tests: Debian's Orthanc with its DICOMweb plugin, started as a plain process with its
// own config and storage folder on a free port, accepting local connections only; stopped afterwards.
// Needs: apt-get install orthanc orthanc-dicomweb
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";

const PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface Orthanc {
  url: string;
  dicomweb: string;
  /** the end of Orthanc's log, for failure messages */
  log(): string;
  stop(): Promise<void>;
}

export async function startOrthanc(dir: string, servers: Record<string, string> = {}): Promise<Orthanc> {
  if (spawnSync("which", ["Orthanc"]).status !== 0)
    throw new Error("Orthanc is missing: apt-get install orthanc orthanc-dicomweb");
  const port = await freePort();
  await mkdir(path.join(dir, "storage"), { recursive: true });
  const config = {
    Name: "cxr-test-pacs",
    StorageDirectory: path.join(dir, "storage"),
    IndexDirectory: path.join(dir, "storage"),
    HttpPort: port,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    DicomServerEnabled: false,
    OrthancExplorerEnabled: false,
    WebDavEnabled: false,
    ConcurrentJobs: 1,
    Plugins: [PLUGIN],
    DicomWeb: {
      Enable: true,
      Root: "/dicom-web/",
      EnableWado: false,
      Servers: Object.fromEntries(Object.entries(servers).map(([k, v]) => [k, [v]])),
    },
  };
  const configFile = path.join(dir, "orthanc.json");
  await writeFile(configFile, JSON.stringify(config));
  const child: ChildProcess = spawn("Orthanc", [configFile], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Orthanc exited with ${child.exitCode}:\n${log}`);
    try {
      const response = await fetch(`${url}/system`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`Orthanc did not start within 30 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dicomweb: `${url}/dicom-web`,
    log: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      }),
  };
}
