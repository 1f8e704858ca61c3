import type { Redis } from "ioredis";
import {
  FixedWindowCounter,
  rateLimitKey,
  rateLimitSubject,
  rateLimitVerdict,
  SURVEY_RATE_LIMITS,
  type RateLimitResult,
  type RateLimitRule,
  type SurveyRateScope,
} from "@shelf/survey-engine";
import { logger } from "../logger.ts";

/**
 * Fixed-window limits shared by every web process through Redis (see @shelf/survey-engine rate-limit.ts
 * for why fixed windows). Subjects (client addresses, tokens) are keyed hashes, so Redis never holds an IP
 * address, and a counter lives only for its window. While Redis is unreachable the limiter falls back to a
 * per-process counter (limits then apply per process) and says so in the log, at most once a minute.
 */
export class SurveyRateLimiter {
  private readonly fallback = new FixedWindowCounter();
  private lastWarnAt = 0;

  constructor(
    private readonly redis: Redis,
    private readonly opts: {
      prefix: string;
      secret: string;
      rules?: Record<SurveyRateScope, RateLimitRule>;
      now?: () => number;
    },
  ) {}

  /** Counts one hit of `subject` (raw; hashed here) under `scope`. */
  async hit(scope: SurveyRateScope, subject: string): Promise<RateLimitResult> {
    const rule = (this.opts.rules ?? SURVEY_RATE_LIMITS)[scope];
    const now = (this.opts.now ?? Date.now)();
    const key = rateLimitKey(scope, rateLimitSubject(subject, this.opts.secret), now, rule, this.opts.prefix);
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
          "survey rate limiter: Redis unavailable, limiting per process",
        );
      }
      return this.fallback.hit(key, rule, now);
    }
  }
}
