import { describe, expect, it } from "vitest";
import {
  isHttps,
  kioskCookie,
  newPairingCode,
  normalizePairingCode,
  pairingCodeHash,
  readKioskCookie,
} from "./kiosk-pairing.ts";

describe("kiosk pairing codes", () => {
  it("are 10 unambiguous characters, typed in any case, with or without the dash", () => {
    const code = newPairingCode();
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{5}-[A-HJKMNP-Z2-9]{5}$/);
    expect(normalizePairingCode(` ${code.toLowerCase()} `)).toBe(code.replace("-", ""));
    expect(normalizePairingCode("ABCDE-FGH0J")).toBeNull(); // 0 is not in the alphabet
    expect(normalizePairingCode("ABCDE")).toBeNull();
    expect(new Set(Array.from({ length: 50 }, newPairingCode)).size).toBe(50);
  });

  it("are stored as a keyed hash", () => {
    expect(pairingCodeHash("ABCDEFGHJK", "s".repeat(32))).not.toBe(
      pairingCodeHash("ABCDEFGHJK", "t".repeat(32)),
    );
    expect(pairingCodeHash("ABCDEFGHJK", "s".repeat(32))).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("the kiosk cookie", () => {
  const credential = "a".repeat(43);

  it("is HttpOnly and SameSite=Strict, Secure over https", () => {
    expect(kioskCookie(`k1.${credential}`, false)).toBe(
      `shelf_kiosk=k1.${credential}; Path=/; Max-Age=34560000; HttpOnly; SameSite=Strict`,
    );
    expect(kioskCookie(`k1.${credential}`, true)).toMatch(/; Secure$/);
    expect(isHttps("https://shop.example", new Headers())).toBe(true);
    expect(isHttps(null, new Headers({ "x-forwarded-proto": "https" }))).toBe(true);
    expect(isHttps(null, new Headers())).toBe(false);
  });

  it("is read back only when well formed", () => {
    expect(readKioskCookie(`a=b; shelf_kiosk=k1.${credential}`)).toEqual({ kioskId: "k1", credential });
    expect(readKioskCookie(`shelf_kiosk=k1.short`)).toBeNull();
    expect(readKioskCookie(`shelf_kiosk=.${credential}`)).toBeNull();
    expect(readKioskCookie(`shelf_kiosk=k/1.${credential}`)).toBeNull();
    expect(readKioskCookie(null)).toBeNull();
  });
});
