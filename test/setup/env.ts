import path from "node:path";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The tests' own database (never the one the product runs on). */
export function testDatabaseUrl(): string {
  const url =
    process.env.TEST_DATABASE_URL ??
    process.env.DATABASE_URL ??
    "postgresql://postgres@127.0.0.1:5432/shelf_test";
  if (!/test/.test(new URL(url).pathname))
    throw new Error(`tests refuse a database without "test" in its name: ${url}`);
  return url;
}

export function testRedisUrl(): string {
  return process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
}

/** A random BullMQ/Redis key prefix per test, so runs never see each other's keys. */
export function randomPrefix(name: string): string {
  return `test-${name}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Evaluation data (never copied into the project). Fails loudly in CI when missing. */
export function datasetsDir(): string | null {
  const dir = process.env.SHELF_DATASETS ?? path.resolve(ROOT, "../shared/datasets");
  if (existsSync(dir)) return dir;
  if (process.env.CI === "true") throw new Error(`datasets folder not found at ${dir} (CI=true requires it)`);
  return null;
}
