import type { Redis } from "ioredis";
import { z } from "zod";
import { ZExpressionProbs, type TrackContext } from "@shelf/core";

/**
 * Classified samples of one open track visit, kept in Redis (never pixels: probabilities only) until the
 * visit is finalised. One hash per visit, one field per capture time, so a retried crop job overwrites
 * its own sample instead of adding a second one.
 */
export const ZStoredSample = z.discriminatedUnion("status", [
  z.object({ status: z.literal("ok"), capturedAt: z.number().int(), probs: ZExpressionProbs }),
  z.object({ status: z.literal("unknown"), capturedAt: z.number().int(), reason: z.string() }),
]);
export type StoredSample = z.infer<typeof ZStoredSample>;

/** Samples expire if a visit is never finalised (agent crash): s. */
const SAMPLES_TTL_S = 6 * 3600;

export class SamplesStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  key(context: Pick<TrackContext, "trackKey" | "zoneId">): string {
    return `${this.prefix}:samples:${context.trackKey}:${context.zoneId}`;
  }

  async put(context: TrackContext, sample: StoredSample): Promise<void> {
    const key = this.key(context);
    await this.redis
      .multi()
      .hset(key, String(sample.capturedAt), JSON.stringify(sample))
      .expire(key, SAMPLES_TTL_S)
      .exec();
  }

  async count(context: TrackContext): Promise<number> {
    return this.redis.hlen(this.key(context));
  }

  async all(context: TrackContext): Promise<StoredSample[]> {
    const raw = await this.redis.hgetall(this.key(context));
    return Object.values(raw)
      .map((v) => ZStoredSample.parse(JSON.parse(v)))
      .sort((a, b) => a.capturedAt - b.capturedAt);
  }

  async drop(context: TrackContext): Promise<void> {
    await this.redis.del(this.key(context));
  }
}
