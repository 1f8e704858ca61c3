import type { Cluster, Redis } from "ioredis";
import { z } from "zod";
import { QUEUES, redisKeys, ZTrackContext, type RedisLayout, type TrackContext } from "@shelf/core";

/** How long a finalised visit is remembered, so a late start or a second end does not reopen it: s. */
const ENDED_TTL_S = 6 * 3600;

const ZOpenVisit = z.object({ context: ZTrackContext, at: z.number().int().positive() });
export type OpenVisit = z.infer<typeof ZOpenVisit>;

/**
 * Which visits are open, and what a visit's end still waits for — in Redis, shared by every worker process.
 * - Open visits: a sorted set by last activity as the worker saw it (start, each classified crop) plus each
 *   visit's context and start time, so a visit whose end never comes (agent killed) can be found and finalised.
 * - Queued crops: the agent adds each crop's job id to the visit's set before queueing it; a crop is still on
 *   its way while its BullMQ job hash exists (waiting, delayed, active). The visit's end waits on that, not on
 *   wall time, so a long worker outage never finalises a visit before its crops are read.
 * The open-visit index is central (`layout.central`, one slot: its MULTIs span its keys); the queued-crop sets
 * and crop jobs are the store's (`layout.store`), written by its agent.
 */
export class VisitBook {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly layout: RedisLayout,
  ) {}

  private get prefix(): string {
    return this.layout.central;
  }

  private visitKey(c: Pick<TrackContext, "trackKey" | "zoneId">): string {
    return `${c.trackKey}|${c.zoneId}`;
  }
  private get openKey(): string {
    return `${this.prefix}:open-visits`;
  }
  private get contextsKey(): string {
    return `${this.prefix}:open-visit-contexts`;
  }
  private endedKey(c: Pick<TrackContext, "trackKey" | "zoneId">): string {
    return `${this.prefix}:visit-ended:${c.trackKey}:${c.zoneId}`;
  }

  /** A visit started at `at` (agent clock); it counts as active now (worker clock). */
  async opened(context: TrackContext, at: number, now = Date.now()): Promise<void> {
    if (await this.redis.exists(this.endedKey(context))) return; // its end was handled first
    const key = this.visitKey(context);
    await this.redis
      .multi()
      .hset(this.contextsKey, key, JSON.stringify({ context, at }))
      .zadd(this.openKey, now, key)
      .exec();
  }

  /** A crop of the visit was classified: the agent is alive. */
  async touched(context: TrackContext, now = Date.now()): Promise<void> {
    await this.redis.zadd(this.openKey, "XX", now, this.visitKey(context));
  }

  /** The visit is finalised: no longer open, and remembered as ended for a while. */
  async closed(context: TrackContext): Promise<void> {
    const key = this.visitKey(context);
    await this.redis
      .multi()
      .zrem(this.openKey, key)
      .hdel(this.contextsKey, key)
      .set(this.endedKey(context), "1", "EX", ENDED_TTL_S)
      .exec();
    // The store's key: another slot on a cluster, so not in the MULTI above.
    await this.redis.del(redisKeys.visitCrops(this.layout.store(context.storeId), context));
  }

  /** Open visits with no activity since `before` (worker clock), oldest first. */
  async silentSince(before: number, limit = 200): Promise<OpenVisit[]> {
    const keys = await this.redis.zrangebyscore(this.openKey, "-inf", before, "LIMIT", 0, limit);
    if (keys.length === 0) return [];
    const raw = await this.redis.hmget(this.contextsKey, ...keys);
    const out: OpenVisit[] = [];
    for (const [i, value] of raw.entries()) {
      const parsed = value === null ? null : ZOpenVisit.safeParse(JSON.parse(value));
      if (parsed?.success) out.push(parsed.data);
      else await this.redis.zrem(this.openKey, keys[i]!); // no context to finalise it with
    }
    return out;
  }

  /** Stops watching a visit without marking it ended (its end job has been queued). */
  async forget(context: TrackContext): Promise<void> {
    await this.redis.zrem(this.openKey, this.visitKey(context));
  }

  /** Crops of this visit still waiting, delayed or being classified. Forgets the ones that are done. */
  async queuedCrops(context: TrackContext): Promise<number> {
    const store = this.layout.store(context.storeId);
    const setKey = redisKeys.visitCrops(store, context);
    const ids = await this.redis.smembers(setKey);
    if (ids.length === 0) return 0;
    const pipeline = this.redis.pipeline(); // one store: one slot
    for (const id of ids) pipeline.exists(redisKeys.job(store, QUEUES.crops, id));
    const exists = (await pipeline.exec()) ?? [];
    const done = ids.filter((_, i) => exists[i]?.[1] === 0);
    if (done.length > 0) await this.redis.srem(setKey, ...done);
    return ids.length - done.length;
  }
}
