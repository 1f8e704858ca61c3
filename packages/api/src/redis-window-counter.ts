import type { RedisClient } from "@shelf/core/redis-client";
import {
  FixedWindowCounter,
  rateLimitVerdict,
  type RateLimitResult,
  type RateLimitRule,
} from "@shelf/survey-engine";
import { logger } from "./logger.ts";

/**
 * Fixed-window counters in Redis (one INCR per hit), shared by every web process and kept across restarts; the
 * survey limits and the sign-in throttle count with it. While Redis is unreachable it counts in this process's
 * memory (limits then apply per process) and says so in the log, at most once a minute.
 */
export class RedisWindowCounter {
  private readonly fallback = new FixedWindowCounter();
  private lastWarnAt = 0;

  /** `what` names the limiter in the log line. */
  constructor(
    private readonly redis: RedisClient,
    private readonly what: string,
  ) {}

  /** Counts one hit on `key` (already hashed and windowed by the caller) under `rule`. */
  async hit(key: string, rule: RateLimitRule, now: number): Promise<RateLimitResult> {
    try {
      // SET NX starts the window's counter with its expiry; INCR counts. One round trip, atomic.
      const res = await this.redis
        .multi()
        .set(key, "0", "PX", rule.windowMs + 1000, "NX")
        .incr(key)
        .exec();
      const count = res?.[1]?.[1];
      if (res?.[1]?.[0] || typeof count !== "number") throw res?.[1]?.[0] ?? new Error("no INCR result");
      return rateLimitVerdict(count, rule, now);
    } catch (err) {
      if (now - this.lastWarnAt > 60_000) {
        this.lastWarnAt = now;
        logger().warn(
          { err: err instanceof Error ? err.message : String(err) },
          `${this.what}: Redis unavailable, limiting per process`,
        );
      }
      return this.fallback.hit(key, rule, now);
    }
  }
}
