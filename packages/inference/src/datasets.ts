import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root: this file lives in `<root>/packages/inference/src/`. */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/**
 * The shared evaluation-data folder: `$SHELF_DATASETS` when set, else `<repo root>/../shared/datasets`.
 * The data is read where it lies and never copied into the project.
 */
export function datasetsDir(env: Record<string, string | undefined> = process.env): string {
  return env.SHELF_DATASETS
    ? path.resolve(env.SHELF_DATASETS)
    : path.resolve(REPO_ROOT, "..", "shared", "datasets");
}

/** Absolute path of one dataset (e.g. `fer2013-publictest`), and whether it is there. */
export function locateDataset(
  name: string,
  env: Record<string, string | undefined> = process.env,
): { dir: string; present: boolean } {
  const dir = path.join(datasetsDir(env), name);
  return { dir, present: existsSync(dir) };
}
