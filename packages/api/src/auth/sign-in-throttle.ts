import type { RedisClient } from "@shelf/core/redis-client";
import {
  FixedWindowCounter,
  fixedWindow,
  rateLimitSubject,
  type RateLimitResult,
  type RateLimitRule,
} from "@shelf/survey-engine";
import { RedisWindowCounter } from "../redis-window-counter.ts";

/** The two brakes on password guessing: per client address, and per account from all addresses together. */
export type SignInScope = "address" | "account";

export interface SignInRules {
  address: RateLimitRule;
  account: RateLimitRule;
}

/** Per-account window, ms: a guesser spread over many addresses still gets only `limit` tries per 15 min. */
export const ACCOUNT_WINDOW_MS = 15 * 60_000;

/** Rules from the env's per-minute (per address) and per-15-minutes (per account) attempts. */
export function signInRules(perAddressPerMinute: number, perAccount: number): SignInRules {
  return {
    address: { limit: perAddressPerMinute, windowMs: 60_000 },
    account: { limit: perAccount, windowMs: ACCOUNT_WINDOW_MS },
  };
}

/** Counts sign-in attempts; a verdict per scope. */
export interface SignInThrottle {
  hit(scope: SignInScope, subject: string): Promise<RateLimitResult>;
}

/**
 * Fixed-window counters (as the survey limits: one INCR per hit) in Redis, so every web process shares them
 * and a restart does not reset them. Subjects (addresses, emails) are keyed hashes: Redis never holds either.
 * While Redis is unreachable it counts per process (see RedisWindowCounter).
 */
export class RedisSignInThrottle implements SignInThrottle {
  private readonly counter: RedisWindowCounter;

  constructor(
    redis: RedisClient,
    private readonly opts: { prefix: string; secret: string; rules: SignInRules; now?: () => number },
  ) {
    this.counter = new RedisWindowCounter(redis, "sign-in throttle");
  }

  async hit(scope: SignInScope, subject: string): Promise<RateLimitResult> {
    const rule = this.opts.rules[scope];
    const now = (this.opts.now ?? Date.now)();
    return this.counter.hit(
      throttleKey(this.opts.prefix, scope, rateLimitSubject(subject, this.opts.secret), now, rule),
      rule,
      now,
    );
  }
}

/** The same rule in one process's memory (tests, and the Redis throttle's fallback). */
export class MemorySignInThrottle implements SignInThrottle {
  private readonly counter = new FixedWindowCounter();

  constructor(
    private readonly rules: SignInRules,
    private readonly secret: string,
    private readonly now: () => number = Date.now,
  ) {}

  async hit(scope: SignInScope, subject: string): Promise<RateLimitResult> {
    const rule = this.rules[scope];
    const now = this.now();
    return this.counter.hit(
      throttleKey("", scope, rateLimitSubject(subject, this.secret), now, rule),
      rule,
      now,
    );
  }
}

/** `<prefix>:auth:rl:<scope>:<hashed subject>:<window index>`. */
function throttleKey(prefix: string, scope: SignInScope, subject: string, now: number, rule: RateLimitRule) {
  return `${prefix}:auth:rl:${scope}:${subject}:${fixedWindow(now, rule.windowMs).index}`;
}
