// Vitest global setup for any workspace whose tests need PostgreSQL: one server per test run
// (TEST_DATABASE_URL's or an embedded one); each test file then creates its own database on it.
import { startTestServer } from "./testing";

interface Project {
  provide(key: "testDatabaseAdminUrl", value: string): void;
}

export default async function setup(project: Project): Promise<() => Promise<void>> {
  const server = await startTestServer();
  project.provide("testDatabaseAdminUrl", server.adminUrl);
  return () => server.stop();
}
