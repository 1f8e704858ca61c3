import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { QUEUES } from "@shelf/core";
import { debouncedRescore, SCORE_DEBOUNCE_MS } from "./rescore.ts";
import { TEST_REDIS_URL, testRedis } from "./test-support/redis.ts";

describe("debouncedRescore (real BullMQ queue)", () => {
  let r: ReturnType<typeof testRedis>;
  let scoring: Queue;
  beforeEach(() => {
    r = testRedis("rescore");
    scoring = new Queue(QUEUES.scoring, { connection: { url: TEST_REDIS_URL }, prefix: r.prefix });
  });
  afterEach(async () => {
    await scoring.obliterate({ force: true });
    await scoring.close();
    await r.cleanup();
  });

  it("a burst for one item makes one delayed scoring job; another item gets its own", async () => {
    const rescore = debouncedRescore(scoring);
    const before = Date.now();
    for (let i = 0; i < 5; i++) await rescore("s1", "i1");
    await rescore("s1", "i2");
    const jobs = await scoring.getDelayed();
    expect(jobs.map((j) => j.data).sort((a, b) => a.itemId.localeCompare(b.itemId))).toEqual([
      { storeId: "s1", itemId: "i1" },
      { storeId: "s1", itemId: "i2" },
    ]);
    for (const j of jobs) expect(j.timestamp + j.delay).toBeGreaterThanOrEqual(before + SCORE_DEBOUNCE_MS);
  });
});
