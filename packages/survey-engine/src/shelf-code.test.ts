import { describe, expect, it } from "vitest";
import { InviteTokenError, signInviteToken, verifyInviteToken } from "./invite-token.ts";
import { ShelfCodeError, signShelfCode, verifyShelfCode } from "./shelf-code.ts";

const secret = "q".repeat(40);

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof ShelfCodeError ? e.code : "other";
  }
  return undefined;
}

describe("shelf codes", () => {
  it("round-trip, are deterministic and URL-safe", () => {
    const c = signShelfCode("store1", "item1", secret);
    expect(c).toBe(signShelfCode("store1", "item1", secret));
    expect(c).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyShelfCode(c, secret)).toEqual({ storeId: "store1", itemId: "item1" });
  });

  it("refuse another secret, a swapped body, truncation and garbage", () => {
    const c = signShelfCode("store1", "item1", secret);
    const [, sig] = c.split(".");
    const other = signShelfCode("store1", "item2", secret).split(".")[0];
    expect(code(() => verifyShelfCode(c, "z".repeat(40)))).toBe("bad-signature");
    expect(code(() => verifyShelfCode(`${other}.${sig}`, secret))).toBe("bad-signature");
    expect(code(() => verifyShelfCode(c.slice(0, -2), secret))).toBe("bad-signature");
    expect(code(() => verifyShelfCode("abc", secret))).toBe("malformed");
    expect(code(() => verifyShelfCode("a.b.c", secret))).toBe("malformed");
    expect(code(() => verifyShelfCode("x".repeat(400), secret))).toBe("malformed");
    expect(code(() => verifyShelfCode(42 as unknown as string, secret))).toBe("malformed");
  });

  it("is never accepted as an invite token, nor a token as a shelf code (separate MAC domains)", () => {
    const c = signShelfCode("store1", "item1", secret);
    expect(() => verifyInviteToken(c, secret)).toThrow(InviteTokenError);
    const token = signInviteToken("inv1", new Date(Date.now() + 60_000), secret);
    expect(code(() => verifyShelfCode(token, secret))).toBe("bad-signature");
  });

  it("refuses a short secret", () => {
    expect(() => signShelfCode("s", "i", "short")).toThrow(/at least 32/);
  });
});
