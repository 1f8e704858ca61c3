import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { InviteTokenError, signInviteToken, verifyInviteToken } from "./invite-token.ts";
import {
  SHELF_CODE_MAX_AGE_DAYS,
  ShelfCodeError,
  isShortShelfCode,
  newShortShelfCode,
  signShelfCode,
  verifyShelfCode,
} from "./shelf-code.ts";

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
    expect(verifyShelfCode(c, secret)).toMatchObject({ storeId: "store1", itemId: "item1" });
  });

  it("carry their issue day and expire SHELF_CODE_MAX_AGE_DAYS later", () => {
    const issued = new Date("2026-01-10T15:00:00Z");
    const c = signShelfCode("store1", "item1", secret, issued);
    const day = Date.parse("2026-01-10T00:00:00Z");
    const expiry = day + SHELF_CODE_MAX_AGE_DAYS * 86_400_000;
    expect(verifyShelfCode(c, secret, expiry - 1)).toEqual({
      storeId: "store1",
      itemId: "item1",
      issuedAt: new Date(day),
      expiresAt: new Date(expiry),
    });
    expect(code(() => verifyShelfCode(c, secret, expiry))).toBe("expired");
    expect(code(() => verifyShelfCode(c, secret, day - 2 * 86_400_000))).toBe("expired");
    expect(signShelfCode("store1", "item1", secret, issued)).not.toBe(
      signShelfCode("store1", "item1", secret, new Date(day + 86_400_000)),
    );
  });

  it("refuse a code without an issue day (printed before codes expired)", () => {
    const body = Buffer.from(JSON.stringify({ s: "store1", i: "item1" })).toString("base64url");
    const sig = createHmac("sha256", secret).update(`shelf:${body}`).digest().subarray(0, 16);
    expect(code(() => verifyShelfCode(`${body}.${sig.toString("base64url")}`, secret))).toBe("malformed");
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

describe("short shelf codes", () => {
  it("are 12 lower-case base32 characters, each of the 32 symbols reachable, and never look signed", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const c = newShortShelfCode();
      expect(c).toMatch(/^[a-z2-7]{12}$/);
      expect(isShortShelfCode(c)).toBe(true);
      for (const ch of c) seen.add(ch);
    }
    expect(seen.size).toBe(32);
    expect(isShortShelfCode(signShelfCode("store1", "item1", secret))).toBe(false);
  });

  it("map bytes by their low 5 bits (uniform: 256 is a multiple of 32)", () => {
    const bytes = Uint8Array.from([0, 1, 25, 26, 31, 32, 255, 224, 7, 8, 100, 200]);
    expect(newShortShelfCode(() => bytes)).toBe("abz27a7ahiei");
  });

  it("refuse upper case, wrong lengths, dots and padding", () => {
    for (const c of [
      "ABCDEFGHIJKL",
      "abcdefghijk",
      "abcdefghijklm",
      "abcdef.hijkl",
      "abcdefghijk=",
      "abcdefghijk1",
    ])
      expect(isShortShelfCode(c)).toBe(false);
  });
});
