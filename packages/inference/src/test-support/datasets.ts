import { describe, it } from "vitest";
import { locateDataset } from "../datasets.ts";

/**
 * `describe` for tests that need a shared dataset. When the dataset is missing the suite fails loudly
 * under CI=true (a silently skipped accuracy test is a passed accuracy test) and is skipped with a
 * message elsewhere.
 */
export function describeWithDataset(name: string, title: string, body: (dir: string) => void): void {
  const { dir, present } = locateDataset(name);
  if (present) {
    describe(title, () => body(dir));
    return;
  }
  const why = `dataset ${name} not found at ${dir} (set SHELF_DATASETS to the folder holding it)`;
  if (process.env.CI === "true")
    describe(title, () => {
      it("has its dataset", () => {
        throw new Error(`${why}; CI=true, so this is a failure, not a skip`);
      });
    });
  else {
    console.warn(`skipping "${title}": ${why}`);
    describe.skip(`${title} (skipped: ${why})`, () => body(dir));
  }
}
