import type { RedisClient } from "@shelf/core/redis-client";
import {
  rateLimitKey,
  rateLimitSubject,
  SURVEY_RATE_LIMITS,
  type RateLimitResult,
  type RateLimitRule,
  type SurveyRateScope,
} from "@shelf/survey-engine";
import { RedisWindowCounter } from "../redis-window-counter.ts";

/**
 * Fixed-window limits shared by every web process through Redis (see @shelf/survey-engine rate-limit.ts
 * for why fixed windows). Subjects (client addresses, tokens) are keyed hashes, so Redis never holds an IP
 * address, and a counter lives only for its window. While Redis is unreachable the limiter falls back to a
 * per-process counter (see RedisWindowCounter).
 */
export class SurveyRateLimiter {
  private readonly counter: RedisWindowCounter;

  constructor(
    redis: RedisClient,
    private readonly opts: {
      prefix: string;
      secret: string;
      rules?: Record<SurveyRateScope, RateLimitRule>;
      now?: () => number;
    },
  ) {
    this.counter = new RedisWindowCounter(redis, "survey rate limiter");
  }

  /** Counts one hit of `subject` (raw; hashed here) under `scope`. */
  async hit(scope: SurveyRateScope, subject: string): Promise<RateLimitResult> {
    const rule = (this.opts.rules ?? SURVEY_RATE_LIMITS)[scope];
    const now = (this.opts.now ?? Date.now)();
    const key = rateLimitKey(scope, rateLimitSubject(subject, this.opts.secret), now, rule, this.opts.prefix);
    return this.counter.hit(key, rule, now);
  }
}
