import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { inStoreShard, parseStoreShard } from "@shelf/core";
import { StoreConsumers } from "./store-consumers.ts";

const logger = pino({ level: "silent" });

/** A shard's consumers over a store list the test edits (PostgreSQL's part); records what runs. */
function consumersOf(shard: string, stores: string[]) {
  const running = new Set<string>();
  const told: string[][] = [];
  const consumers = new StoreConsumers({
    listStores: async () => [...stores],
    shard: parseStoreShard(shard),
    start: (id) => {
      running.add(id);
      return [{ close: async () => void running.delete(id) }];
    },
    changed: async (served) => void told.push([...served].sort()),
    refreshMs: 60_000,
    logger,
  });
  return { consumers, running, told };
}

describe("StoreConsumers", () => {
  const stores = Array.from({ length: 40 }, (_, i) => `store${i}`);

  it("two shards serve every store exactly once", async () => {
    const a = consumersOf("0/2", stores);
    const b = consumersOf("1/2", stores);
    await Promise.all([a.consumers.start(), b.consumers.start()]);
    expect(a.running.size).toBeGreaterThan(0);
    expect(b.running.size).toBeGreaterThan(0);
    expect([...a.running, ...b.running].sort()).toEqual([...stores].sort());
    for (const id of a.running) expect(inStoreShard(id, { index: 0, count: 2 })).toBe(true);
    expect(a.consumers.allStores).toEqual(stores); // the sweep sees every store, whichever shard
    await Promise.all([a.consumers.close(), b.consumers.close()]);
    expect(a.running.size + b.running.size).toBe(0);
  });

  it("picks up a store created later and lets go of a deleted one at the next refresh", async () => {
    const list = ["s1", "s2"];
    const c = consumersOf("0/1", list);
    await c.consumers.start();
    expect([...c.running].sort()).toEqual(["s1", "s2"]);
    list.push("s3");
    list.splice(0, 1);
    await c.consumers.refresh();
    expect([...c.running].sort()).toEqual(["s2", "s3"]);
    // The crop key holder hears of each change, so the new store's agent finds a worker's public key.
    expect(c.told).toEqual([
      ["s1", "s2"],
      ["s2", "s3"],
    ]);
    await c.consumers.refresh(); // nothing changed: nothing restarted, nobody told
    expect(c.told).toHaveLength(2);
    await c.consumers.close();
  });

  it("keeps serving its stores when the store list cannot be read", async () => {
    let fail = false;
    const running = new Set<string>();
    const consumers = new StoreConsumers({
      listStores: async () => {
        if (fail) throw new Error("database down");
        return ["s1"];
      },
      shard: { index: 0, count: 1 },
      start: (id) => (running.add(id), [{ close: async () => void running.delete(id) }]),
      logger,
    });
    await consumers.start();
    fail = true;
    await consumers.refresh();
    expect([...running]).toEqual(["s1"]);
    await consumers.close();
  });
});
