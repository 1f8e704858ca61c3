import { createHmac } from "node:crypto";
import { DEFAULT_QUEUE_PREFIX } from "@shelf/core";

/**
 * Fixed-window rate limiting: at most `limit` hits per key in each window of `windowMs` aligned to the
 * epoch. Chosen over sliding windows / token buckets because one Redis `INCR` per hit is enough and the
 * only weakness (a burst of up to 2 × limit across a window edge) does not matter here: the limits damp
 * flooding, while integrity (one response per invite) is enforced by the database, not by the limiter.
 *
 * The counter lives in Redis so every web process shares it (an in-process counter would multiply the
 * limit by the number of processes and reset on every deploy); {@link FixedWindowCounter} is the same rule
 * in memory, used in tests and as the web app's fallback while Redis is unreachable.
 */

export interface RateLimitRule {
  /** Hits allowed per window. */
  limit: number;
  /** Window length, ms. */
  windowMs: number;
}

/** What the survey and kiosk endpoints limit, and how much. */
export type SurveyRateScope =
  /** Minting an invite from a printed QR code, per client (only with a trusted client address). */
  | "qr-client"
  /**
   * Minting an invite from one printed QR code, all clients together, per hour: the limit a client cannot
   * dodge by changing its address (a photo of a label is all an attacker needs).
   */
  | "qr-code"
  /** The same per day. */
  | "qr-code-day"
  /** Submitting or declining, per invite token. */
  | "submit-token"
  /** Submitting or declining, per client (only with a trusted client address). */
  | "submit-client"
  /** Kiosk pairing attempts, per client (only with a trusted client address). */
  | "kiosk-pair-client"
  /** Kiosk pairing attempts, all clients together (backstop for unknown client addresses). */
  | "kiosk-pair";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Defaults. A shopper scans a handful of products and submits each survey once (twice after a validation
 * error). One printed code is scanned by a few shoppers an hour at most, and only while its item is flagged:
 * 30 invites an hour and 150 a day per code leave room for a busy shelf and cap what a flood can add to one
 * item's survey (before: 120 a minute, ~170 000 a day). Passing a per-code limit is logged and audited as
 * an anomaly. Pairing a kiosk is rare: an admin types one code.
 */
export const SURVEY_RATE_LIMITS: Record<SurveyRateScope, RateLimitRule> = {
  "qr-client": { limit: 20, windowMs: MINUTE },
  "qr-code": { limit: 30, windowMs: HOUR },
  "qr-code-day": { limit: 150, windowMs: 24 * HOUR },
  "submit-token": { limit: 5, windowMs: MINUTE },
  "submit-client": { limit: 30, windowMs: MINUTE },
  "kiosk-pair-client": { limit: 10, windowMs: 10 * MINUTE },
  "kiosk-pair": { limit: 60, windowMs: 10 * MINUTE },
};

export interface RateLimitResult {
  allowed: boolean;
  /** The rule's limit (hits allowed per window). */
  limit: number;
  /** Hits in the current window including this one. */
  count: number;
  /** Hits left in this window (never negative). */
  remaining: number;
  /** When the window ends, ms since epoch. */
  resetAt: number;
  /** Seconds until the window ends, rounded up (for `Retry-After`). */
  retryAfterS: number;
}

/** The window a time falls in: its index (for keys) and its end (ms since epoch). */
export function fixedWindow(now: number, windowMs: number): { index: number; resetAt: number } {
  const index = Math.floor(now / windowMs);
  return { index, resetAt: (index + 1) * windowMs };
}

/** The verdict for the `count`-th hit in a window. */
export function rateLimitVerdict(count: number, rule: RateLimitRule, now: number): RateLimitResult {
  const { resetAt } = fixedWindow(now, rule.windowMs);
  return {
    allowed: count <= rule.limit,
    limit: rule.limit,
    count,
    remaining: Math.max(0, rule.limit - count),
    resetAt,
    retryAfterS: Math.max(1, Math.ceil((resetAt - now) / 1000)),
  };
}

/**
 * Redis key of one counter: `<prefix>:survey:rl:<scope>:<subject>:<window index>`. The subject must
 * already be a hash (see {@link rateLimitSubject}): raw IPs and tokens never become key names.
 */
export function rateLimitKey(
  scope: SurveyRateScope,
  subject: string,
  now: number,
  rule: RateLimitRule,
  prefix: string = DEFAULT_QUEUE_PREFIX,
): string {
  return `${prefix}:survey:rl:${scope}:${subject}:${fixedWindow(now, rule.windowMs).index}`;
}

/**
 * A keyed hash of a client address or token, so counters can be kept without keeping who (an unkeyed hash
 * of an IPv4 address is reversible by trying all 2³² of them). 128 bits, hex.
 */
export function rateLimitSubject(value: string, secret: string): string {
  return createHmac("sha256", secret).update(`rl:${value}`).digest("hex").slice(0, 32);
}

/**
 * In-memory fixed-window counter (one process). Keeps at most `maxKeys` live counters, dropping expired
 * windows first, so a flood of distinct subjects cannot grow memory without bound.
 */
export class FixedWindowCounter {
  /** Per key: the end of its current window (ms since epoch) and the hits in it. */
  private readonly counts = new Map<string, { resetAt: number; count: number }>();

  constructor(private readonly maxKeys = 10_000) {}

  /** Counts one hit for `key` at `now` (ms since epoch) and returns the verdict. */
  hit(key: string, rule: RateLimitRule, now: number): RateLimitResult {
    const { resetAt } = fixedWindow(now, rule.windowMs);
    const entry = this.counts.get(key);
    const count = entry && entry.resetAt === resetAt ? entry.count + 1 : 1;
    if (!entry && this.counts.size >= this.maxKeys) this.evict(now);
    this.counts.set(key, { resetAt, count });
    return rateLimitVerdict(count, rule, now);
  }

  /** Live counters (for tests and metrics). */
  get size(): number {
    return this.counts.size;
  }

  private evict(now: number): void {
    for (const [k, v] of this.counts) if (v.resetAt <= now) this.counts.delete(k);
    // Still full: drop the oldest insertions (Map iterates in insertion order).
    for (const k of this.counts.keys()) {
      if (this.counts.size < this.maxKeys) break;
      this.counts.delete(k);
    }
  }
}
