import { describe, expect, it } from "vitest";
import { cachedNegativeSets } from "./negative-sets.ts";

describe("cachedNegativeSets", () => {
  it("reuses a store's set for the cache time, then reads it again; stores are kept apart", async () => {
    const stored: Record<string, string[]> = { a: ["angry"], b: ["sad"] };
    let now = 0;
    const negativeOf = cachedNegativeSets(
      async (id) => stored[id] ?? [],
      30_000,
      () => now,
    );
    expect([...(await negativeOf("a"))]).toEqual(["angry"]);
    expect([...(await negativeOf("b"))]).toEqual(["sad"]);
    stored.a = ["angry", "disgust"];
    now = 29_999;
    expect([...(await negativeOf("a"))]).toEqual(["angry"]);
    now = 30_000;
    expect([...(await negativeOf("a"))]).toEqual(["angry", "disgust"]);
  });
});
