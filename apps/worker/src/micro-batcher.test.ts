import { describe, expect, it } from "vitest";
import { MicroBatcher } from "./micro-batcher.ts";

describe("MicroBatcher", () => {
  it("runs full batches at once and partial ones after the wait", async () => {
    const calls: number[][] = [];
    const b = new MicroBatcher<number, number>(async (xs) => (calls.push(xs), xs.map((x) => x * 2)), 3, 20);
    const results = await Promise.all([1, 2, 3, 4].map((x) => b.push(x)));
    expect(results).toEqual([2, 4, 6, 8]);
    expect(calls).toEqual([[1, 2, 3], [4]]);
  });

  it("rejects every member of a failed batch", async () => {
    const b = new MicroBatcher<number, number>(
      async () => {
        throw new Error("model failed");
      },
      2,
      5,
    );
    const settled = await Promise.allSettled([b.push(1), b.push(2)]);
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected"]);
  });

  it("rejects when the batch function returns the wrong number of results", async () => {
    const b = new MicroBatcher<number, number>(async () => [1], 2, 5);
    await expect(Promise.all([b.push(1), b.push(2)])).rejects.toThrow(/1 results for 2 items/);
  });
});
