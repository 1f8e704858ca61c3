import { describe, expect, it } from "vitest";
import { InviteTokenError, signInviteToken, tokenHash, verifyInviteToken } from "./invite-token.ts";

const secret = "s".repeat(40);
const later = new Date(Date.now() + 60_000);

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof InviteTokenError ? e.code : "other";
  }
  return undefined;
}

describe("invite tokens", () => {
  it("round-trips and is unique per signing", () => {
    const a = signInviteToken("inv1", later, secret);
    const b = signInviteToken("inv1", later, secret);
    expect(a).not.toBe(b);
    expect(verifyInviteToken(a, secret).i).toBe("inv1");
    expect(tokenHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHash(a)).not.toBe(tokenHash(b));
  });

  it("refuses forged, tampered, expired and malformed tokens", () => {
    const t = signInviteToken("inv1", later, secret);
    expect(code(() => verifyInviteToken(t, "x".repeat(40)))).toBe("bad-signature");
    const [body, sig] = t.split(".");
    const forgedBody = Buffer.from(JSON.stringify({ i: "inv2", e: 9e9, n: "aaaaaaaaaa" })).toString(
      "base64url",
    );
    expect(code(() => verifyInviteToken(`${forgedBody}.${sig}`, secret))).toBe("bad-signature");
    expect(code(() => verifyInviteToken(`${body}`, secret))).toBe("malformed");
    expect(code(() => verifyInviteToken("", secret))).toBe("malformed");
    expect(code(() => verifyInviteToken("a".repeat(600), secret))).toBe("malformed");
    const old = signInviteToken("inv1", new Date(Date.now() + 1000), secret);
    expect(code(() => verifyInviteToken(old, secret, new Date(Date.now() + 5000)))).toBe("expired");
  });

  it("expires exactly at its expiry second, and a token is unguessable (≥ 96 random bits per signing)", () => {
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000);
    const t = signInviteToken("inv1", at, secret);
    expect(verifyInviteToken(t, secret, new Date(at.getTime() - 1)).i).toBe("inv1");
    expect(code(() => verifyInviteToken(t, secret, at))).toBe("expired");
    const nonces = new Set(
      Array.from({ length: 200 }, () => verifyInviteToken(signInviteToken("inv1", at, secret), secret).n),
    );
    expect(nonces.size).toBe(200);
  });

  it("refuses non-string input and signatures of the wrong length", () => {
    expect(code(() => verifyInviteToken(undefined as unknown as string, secret))).toBe("malformed");
    const [body] = signInviteToken("inv1", later, secret).split(".");
    expect(code(() => verifyInviteToken(`${body}.AAAA`, secret))).toBe("bad-signature");
    expect(code(() => verifyInviteToken(`${body}.${body}`, secret))).toBe("bad-signature");
  });

  it("refuses a short secret", () => {
    expect(() => signInviteToken("inv1", later, "short")).toThrow(/at least 32/);
  });
});
