import { describe, expect, it } from "vitest";
import { trustedClientIp } from "./client-ip.ts";

const h = (xff?: string) => new Headers(xff === undefined ? {} : { "x-forwarded-for": xff });

describe("trustedClientIp", () => {
  it("trusts nothing without a trusted proxy: a client-sent header is the client's invention", () => {
    expect(trustedClientIp(h("203.0.113.9"), 0)).toBeNull();
    expect(trustedClientIp(h(), 0)).toBeNull();
  });

  it("takes the entry the outermost trusted proxy appended, ignoring what the client put left of it", () => {
    expect(trustedClientIp(h("6.6.6.6, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(trustedClientIp(h("6.6.6.6, 203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
  });

  it("refuses a request that did not pass every trusted proxy", () => {
    expect(trustedClientIp(h("203.0.113.9"), 2)).toBeNull();
    expect(trustedClientIp(h(), 1)).toBeNull();
  });

  it("bounds the subject length", () => {
    expect(trustedClientIp(h("a".repeat(500)), 1)).toHaveLength(100);
  });
});
