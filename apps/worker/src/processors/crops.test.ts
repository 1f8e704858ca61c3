import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { redisLayout, type TrackContext } from "@shelf/core";
import type { ClassifyResult, FaceCrop } from "@shelf/inference";
import { WorkerCounters } from "../counters.ts";
import { CropKeyHolder } from "../crop-keys.ts";
import { LivePublisher } from "../live.ts";
import { SamplesStore } from "../samples-store.ts";
import { TestCropSealer } from "../test-support/crop-sealer.ts";
import { testRedis } from "../test-support/redis.ts";
import { VisitBook } from "../visit-book.ts";
import { batchedClassifier, processCrop, type CropDeps } from "./crops.ts";
import { JobRejected } from "./rejected.ts";

const logger = pino({ level: "silent" });
const SIDE = 16;
const T0 = 1_700_000_000_000;
const context: TrackContext = {
  storeId: "store-1",
  cameraId: "cam-1",
  zoneId: "zone-1",
  itemId: "item-1",
  trackKey: "run:cam-1:1:1",
  calibrationVersion: 1,
};
/** p(angry) dominant, EXPRESSIONS order. */
const ANGRY = [0.7, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05];

/** A recognisable pixel pattern (its i-th byte is i mod 251), so a decryption slip cannot pass. */
const pattern = () => Uint8Array.from({ length: SIDE * SIDE }, (_, i) => (i % 251) + 1);

describe("processCrop (real Redis, real crop keys; the model is a plain function)", () => {
  let r: ReturnType<typeof testRedis>;
  let keys: CropKeyHolder;
  let sealer: TestCropSealer;
  let samples: SamplesStore;
  let visits: VisitBook;
  let counters: WorkerCounters;
  let live: LivePublisher;
  /** What the model saw, copied while it ran, and the views it was handed (to check they are wiped after). */
  let seen: { copy: number[]; view: Uint8Array }[];
  let answer: ClassifyResult;

  const deps = (over: Partial<CropDeps> = {}): CropDeps => ({
    keys,
    classify: async (crop: FaceCrop) => {
      seen.push({ copy: [...crop.data], view: crop.data });
      return answer;
    },
    samples,
    visits,
    live,
    counters,
    logger,
    ...over,
  });

  beforeEach(async () => {
    r = testRedis("crops");
    const layout = redisLayout(r.prefix);
    keys = new CropKeyHolder(r.redis, layout, logger);
    await keys.serve([context.storeId]);
    keys.start();
    sealer = new TestCropSealer(r.redis, layout.store(context.storeId));
    // The worker publishes its public key on start; the "agent" wraps its data key for it.
    for (let i = 0; i < 50 && (await sealer.shareKey()) === 0; i++)
      await new Promise((f) => setTimeout(f, 20));
    samples = new SamplesStore(r.redis, r.prefix);
    visits = new VisitBook(r.redis, layout);
    counters = new WorkerCounters(r.redis, r.prefix, logger);
    live = new LivePublisher(r.redis, r.prefix, logger, async () => new Set(["angry", "disgust"]));
    seen = [];
    answer = { status: "ok", probs: ANGRY, dominant: "angry" };
  });
  afterEach(async () => {
    await keys.close();
    await r.cleanup();
  });

  it("decrypts, classifies and keeps only the probabilities; the pixels handed to the model are wiped", async () => {
    await visits.opened(context, T0, 1_000); // open since worker time 1 000
    const job = sealer.seal(context, T0 + 100, pattern(), { side: SIDE, expiresAt: T0 + 60_000 });
    expect(await processCrop(deps(), job, T0 + 200)).toEqual({ status: "ok" });

    expect(seen).toHaveLength(1);
    expect(seen[0]!.copy).toEqual([...pattern()]);
    expect(seen[0]!.view.every((b) => b === 0)).toBe(true);
    expect(await samples.all(context)).toEqual([{ status: "ok", capturedAt: T0 + 100, probs: ANGRY }]);
    // The visit was touched: the agent is alive, so it is no longer silent since worker time 1 000.
    expect(await visits.silentSince(2_000)).toEqual([]);
    // The face counts in the live distribution of its zone, as negative (angry is in the store's set).
    const [event] = await live.tick(T0 + 300);
    expect(event).toMatchObject({
      kind: "zone-distribution",
      storeId: "store-1",
      zones: [{ zoneId: "zone-1", shoppers: 1, negative: 1 }],
    });
    // Nothing under the prefix holds the pixels or their base64.
    const dump = JSON.stringify(await r.redis.hgetall(samples.key(context)));
    expect(dump).not.toContain(Buffer.from(pattern()).toString("base64").slice(0, 16));
  });

  it("a retried crop overwrites its own sample instead of adding one", async () => {
    const job = sealer.seal(context, T0 + 100, pattern(), { side: SIDE });
    await processCrop(deps(), job, T0 + 200);
    await processCrop(deps(), job, T0 + 250);
    expect(await samples.count(context)).toBe(1);
  });

  it("a face the model cannot read is kept as unknown, with its reason, and is not shown live", async () => {
    answer = { status: "unknown", reason: "too-blurred: variance 3" };
    const job = sealer.seal(context, T0 + 100, pattern(), { side: SIDE });
    expect(await processCrop(deps(), job, T0 + 200)).toEqual({ status: "unknown" });
    expect(await samples.all(context)).toEqual([
      { status: "unknown", capturedAt: T0 + 100, reason: "too-blurred: variance 3" },
    ]);
    expect(await live.tick(T0 + 300)).toEqual([]);
  });

  it("drops a crop past its expiry unread and counts it", async () => {
    const job = sealer.seal(context, T0, pattern(), { side: SIDE, expiresAt: T0 + 1_000 });
    expect(await processCrop(deps(), job, T0 + 1_001)).toEqual({ status: "stale" });
    expect(seen).toEqual([]);
    expect(await samples.count(context)).toBe(0);
    expect((await counters.read())["shelf_worker_crops_stale_total"]).toBe(1);
  });

  it("waits while its data key has not been wrapped for this worker, never past the crop's expiry", async () => {
    const late = new TestCropSealer(r.redis, redisLayout(r.prefix).store(context.storeId)); // its key is shared with nobody yet
    const job = late.seal(context, T0, pattern(), { side: SIDE, expiresAt: T0 + 10_000 });
    expect(await processCrop(deps(), job, T0 + 100)).toEqual({ status: "wait", until: T0 + 600 });
    expect(await processCrop(deps(), job, T0 + 9_800)).toEqual({ status: "wait", until: T0 + 10_001 });
    expect(await samples.count(context)).toBe(0);
    await late.shareKey();
    expect(await processCrop(deps(), job, T0 + 9_900)).toEqual({ status: "ok" });
  });

  it("refuses a crop moved to another visit (its sealed context no longer matches)", async () => {
    const job = sealer.seal(context, T0, pattern(), { side: SIDE });
    const moved = { ...job, context: { ...context, zoneId: "zone-2" } };
    const err = await processCrop(deps(), moved, T0 + 100).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobRejected);
    expect((err as JobRejected).code).toBe("undecryptable");
    expect(seen).toEqual([]);
    expect(await samples.count({ ...context, zoneId: "zone-2" })).toBe(0);
  });

  it("refuses a malformed job, naming the field", async () => {
    const job = sealer.seal(context, T0, pattern(), { side: SIDE });
    const err = await processCrop(deps(), { ...job, crop: { ...job.crop, width: 999 } }, T0).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(JobRejected);
    expect((err as JobRejected).code).toBe("invalid");
    expect((err as Error).message).toMatch(/crop\.width/);
  });

  it("wipes the pixels and stores nothing when the model fails", async () => {
    const job = sealer.seal(context, T0, pattern(), { side: SIDE });
    const failing = deps({
      classify: async (crop) => {
        seen.push({ copy: [...crop.data], view: crop.data });
        throw new Error("model crashed");
      },
    });
    await expect(processCrop(failing, job, T0 + 100)).rejects.toThrow("model crashed");
    expect(seen[0]!.view.every((b) => b === 0)).toBe(true);
    expect(await samples.count(context)).toBe(0);
  });
});

describe("batchedClassifier", () => {
  it("answers each crop with its own result, one model call per batch", async () => {
    const batches: number[] = [];
    const classify = batchedClassifier(
      {
        classify: async (crops) => {
          batches.push(crops.length);
          return crops.map((c) => ({ status: "unknown" as const, reason: `first byte ${c.data[0]}` }));
        },
      },
      { batchSize: 2, waitMs: 5 },
    );
    const crop = (b: number): FaceCrop => ({
      width: 8,
      height: 8,
      channels: 1,
      data: new Uint8Array(64).fill(b),
    });
    const out = await Promise.all([1, 2, 3].map((b) => classify(crop(b))));
    expect(out.map((o) => (o.status === "unknown" ? o.reason : ""))).toEqual([
      "first byte 1",
      "first byte 2",
      "first byte 3",
    ]);
    expect(batches).toEqual([2, 1]);
  });
});
