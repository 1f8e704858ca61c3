import { execFileSync } from "node:child_process";
import path from "node:path";
import { ROOT, testDatabaseUrl } from "./env.ts";

/** Brings the test database to the current migrations before any test file runs. */
export function setup(): void {
  const url = testDatabaseUrl();
  process.env.TEST_DATABASE_URL = url;
  execFileSync(process.execPath, [path.join(ROOT, "scripts/prisma/migrate.mjs"), "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
    stdio: "inherit",
  });
}
