import { Cluster, type Redis } from "ioredis";
import type { Logger } from "pino";
import {
  dominantExpression,
  encodeLiveEvent,
  EXPRESSIONS,
  LIVE_DISTRIBUTION_WINDOW_MS,
  liveChannel,
  type LiveEvent,
  type TrackContext,
} from "@shelf/core";
/** How often the distribution is published, ms. */
export const LIVE_PUBLISH_MS = 1000;

/**
 * Live events over Redis pub/sub (one channel per store, the contract in @shelf/core `live-events.ts`). Publishing is fire and
 * forget: a live feed that misses an event while Redis is down loses nothing of record (Postgres has it).
 *
 * The per-zone distribution: each classified face is added to a per-store sorted set (score = capture time,
 * member = zone | visit | dominant class | time — no pixels, no probabilities); once a second one worker
 * process (whoever takes a short Redis lock) trims the sets to the window and publishes, per zone, the
 * shoppers in view, how many read as negative, and the counts of dominant expressions. The sets are found with
 * SCAN, on every master of a Redis Cluster (one SCAN walks one node's keys only).
 */
export class LivePublisher {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
    private readonly logger: Logger,
    private readonly negativeOf: (storeId: string) => Promise<ReadonlySet<string>>,
  ) {}

  private recentKey(storeId: string): string {
    return `${this.prefix}:live-recent:${storeId}`;
  }

  async publish(event: LiveEvent): Promise<void> {
    try {
      await this.redis.publish(liveChannel(event.storeId, this.prefix), encodeLiveEvent(event));
    } catch (err) {
      this.logger.warn({ err: (err as Error).message, kind: event.kind }, "live event not published");
    }
  }

  /** Records one classified face for the live distribution. */
  async sample(context: TrackContext, capturedAt: number, probs: readonly number[]): Promise<void> {
    const dominant = EXPRESSIONS.indexOf(dominantExpression(probs));
    const key = this.recentKey(context.storeId);
    try {
      await this.redis
        .multi()
        .zadd(key, capturedAt, `${context.zoneId}|${context.trackKey}|${dominant}|${capturedAt}`)
        .pexpire(key, LIVE_DISTRIBUTION_WINDOW_MS * 6)
        .exec();
    } catch (err) {
      this.logger.debug({ err: (err as Error).message }, "live sample not recorded");
    }
  }

  start(): void {
    this.timer = setInterval(
      () => void this.tick().catch((err) => this.logger.warn({ err }, "live tick failed")),
      LIVE_PUBLISH_MS,
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One publishing round (exported for tests): returns the events it published. */
  async tick(now = Date.now()): Promise<LiveEvent[]> {
    // One publisher per round across all worker processes.
    const lock = await this.redis.set(`${this.prefix}:live-lock`, "1", "PX", LIVE_PUBLISH_MS - 50, "NX");
    if (lock !== "OK") return [];
    const keys = await this.scan(`${this.prefix}:live-recent:*`);
    const published: LiveEvent[] = [];
    for (const key of keys) {
      const storeId = key.slice(`${this.prefix}:live-recent:`.length);
      await this.redis.zremrangebyscore(key, "-inf", now - LIVE_DISTRIBUTION_WINDOW_MS);
      const members = await this.redis.zrange(key, 0, -1);
      const negative = await this.negativeOf(storeId);
      const zones = new Map<
        string,
        { latest: Map<string, { at: number; dominant: number }>; counts: number[] }
      >();
      for (const m of members) {
        const [zoneId, trackKey, d, at] = m.split("|");
        if (!zoneId || !trackKey || d === undefined || at === undefined) continue;
        const z = zones.get(zoneId) ?? { latest: new Map(), counts: EXPRESSIONS.map(() => 0) };
        z.counts[Number(d)]! += 1;
        const prev = z.latest.get(trackKey);
        if (!prev || prev.at < Number(at)) z.latest.set(trackKey, { at: Number(at), dominant: Number(d) });
        zones.set(zoneId, z);
      }
      const event: LiveEvent = {
        kind: "zone-distribution",
        storeId,
        at: now,
        zones: [...zones].map(([zoneId, z]) => ({
          zoneId,
          shoppers: z.latest.size,
          negative: [...z.latest.values()].filter((t) => negative.has(EXPRESSIONS[t.dominant]!)).length,
          expressions: z.counts,
        })),
      };
      await this.publish(event);
      published.push(event);
    }
    return published;
  }

  /** The keys matching `pattern`, from every master on a cluster (SCAN is one node's), each once. */
  private async scan(pattern: string): Promise<string[]> {
    const nodes = this.redis instanceof Cluster ? this.redis.nodes("master") : [this.redis];
    const out = new Set<string>();
    for (const node of nodes) {
      let cursor = "0";
      do {
        const [next, keys] = await node.scan(cursor, "MATCH", pattern, "COUNT", 200);
        cursor = next;
        for (const k of keys) out.add(k);
      } while (cursor !== "0");
    }
    return [...out];
  }
}
