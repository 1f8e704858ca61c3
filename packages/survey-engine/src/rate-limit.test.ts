import { describe, expect, it } from "vitest";
import {
  FixedWindowCounter,
  fixedWindow,
  rateLimitKey,
  rateLimitSubject,
  rateLimitVerdict,
  SURVEY_RATE_LIMITS,
} from "./rate-limit.ts";

const rule = { limit: 3, windowMs: 60_000 };
const t0 = 1_800_000_000_000; // a multiple of 60 000

describe("fixed windows", () => {
  it("aligns windows to the epoch", () => {
    expect(fixedWindow(t0, 60_000)).toEqual({ index: t0 / 60_000, resetAt: t0 + 60_000 });
    expect(fixedWindow(t0 + 59_999, 60_000).index).toBe(t0 / 60_000);
    expect(fixedWindow(t0 + 60_000, 60_000).index).toBe(t0 / 60_000 + 1);
  });

  it("allows up to the limit and says when to retry", () => {
    expect(rateLimitVerdict(3, rule, t0 + 1500)).toEqual({
      allowed: true,
      limit: 3,
      count: 3,
      remaining: 0,
      resetAt: t0 + 60_000,
      retryAfterS: 59,
    });
    expect(rateLimitVerdict(4, rule, t0 + 59_999)).toMatchObject({
      allowed: false,
      remaining: 0,
      retryAfterS: 1,
    });
  });

  it("keys counters by scope, hashed subject and window", () => {
    expect(rateLimitKey("submit-token", "abc", t0, rule, "p")).toBe(
      `p:survey:rl:submit-token:abc:${t0 / 60_000}`,
    );
    expect(rateLimitKey("qr-client", "abc", t0 + 60_000, rule)).toMatch(/^shelf:survey:rl:qr-client:abc:/);
  });

  it("hashes subjects with a key: stable, 128-bit, not the input, different per secret", () => {
    const a = rateLimitSubject("203.0.113.9", "s".repeat(32));
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).toBe(rateLimitSubject("203.0.113.9", "s".repeat(32)));
    expect(a).not.toBe(rateLimitSubject("203.0.113.9", "t".repeat(32)));
    expect(a).not.toContain("203");
  });

  it("has sane defaults (a shopper never meets them)", () => {
    for (const r of Object.values(SURVEY_RATE_LIMITS)) {
      expect(r.limit).toBeGreaterThanOrEqual(5);
      expect(r.windowMs).toBeGreaterThan(0);
    }
  });
});

describe("FixedWindowCounter", () => {
  it("counts per key and resets with the window", () => {
    const c = new FixedWindowCounter();
    expect([1, 2, 3, 4].map(() => c.hit("a", rule, t0 + 10).allowed)).toEqual([true, true, true, false]);
    expect(c.hit("b", rule, t0 + 10).allowed).toBe(true);
    expect(c.hit("a", rule, t0 + 60_000)).toMatchObject({ allowed: true, count: 1 });
  });

  it("a flood of distinct keys cannot grow memory past maxKeys", () => {
    const c = new FixedWindowCounter(100);
    for (let i = 0; i < 1000; i++) c.hit(`k${i}`, rule, t0);
    expect(c.size).toBeLessThanOrEqual(100);
    // Expired windows are dropped first.
    const d = new FixedWindowCounter(10);
    for (let i = 0; i < 10; i++) d.hit(`old${i}`, rule, t0);
    d.hit("new", rule, t0 + 120_000);
    expect(d.size).toBe(1);
  });

  it("keeps windows of different lengths apart", () => {
    const c = new FixedWindowCounter();
    const short = { limit: 1, windowMs: 1000 };
    expect(c.hit("x", short, t0).allowed).toBe(true);
    expect(c.hit("x", short, t0 + 500).allowed).toBe(false);
    expect(c.hit("x", short, t0 + 1000).allowed).toBe(true);
  });
});
