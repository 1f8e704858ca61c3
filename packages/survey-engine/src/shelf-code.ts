import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * A printed QR code cannot hold a single-use invite (it is scanned by many shoppers for months), so it
 * holds a *shelf code*: a signed pointer to one item in one store, with the day it was issued. Scanning it
 * mints a fresh single-use invite (when the item's survey is active) and redirects to it. The signature
 * means only codes this deployment printed work, and an attacker cannot mint invites for arbitrary
 * store/item pairs. A code expires {@link SHELF_CODE_MAX_AGE_DAYS} days after its issue day (re-print it),
 * so a photo of a label does not stay a way in for ever. Rotating the secret retires every printed code.
 */

/** How long a printed shelf code works, days from its issue day (default 180: re-print twice a year). */
export const SHELF_CODE_MAX_AGE_DAYS = 180;

const DAY_MS = 86_400_000;

export class ShelfCodeError extends Error {
  constructor(readonly code: "malformed" | "bad-signature" | "expired" | "unknown") {
    super(`shelf code ${code}`);
    this.name = "ShelfCodeError";
  }
}

const ZShelfClaims = z
  .object({
    /** Store id. */
    s: z.string().min(1).max(64),
    /** Item id. */
    i: z.string().min(1).max(64),
    /** Issue day: whole days since 1970-01-01 UTC. */
    d: z.number().int().min(0).max(1_000_000),
  })
  .strict();
export type ShelfClaims = z.infer<typeof ZShelfClaims>;

/** Truncated HMAC-SHA256: 128 bits is plenty against forgery and keeps the QR code small. */
const SIG_BYTES = 16;

function mac(body: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(`shelf:${body}`).digest().subarray(0, SIG_BYTES);
}

/**
 * Signs `{storeId, itemId, issue day}` as `<claims>.<mac>` (base64url). Deterministic per day: one code per
 * store × item × issue day. `issuedAt` defaults to now.
 */
export function signShelfCode(
  storeId: string,
  itemId: string,
  secret: string,
  issuedAt: Date = new Date(),
): string {
  if (secret.length < 32) throw new Error("survey secret must be at least 32 characters");
  const claims: ShelfClaims = ZShelfClaims.parse({
    s: storeId,
    i: itemId,
    d: Math.floor(issuedAt.getTime() / DAY_MS),
  });
  const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${body}.${mac(body, secret).toString("base64url")}`;
}

export interface ShelfTarget {
  storeId: string;
  itemId: string;
  /** First instant of the issue day (UTC). */
  issuedAt: Date;
  /** The code stops working at this instant. */
  expiresAt: Date;
}

/** When a code issued at `issuedAt` stops working. */
export function shelfCodeExpiry(issuedAt: Date, maxAgeDays = SHELF_CODE_MAX_AGE_DAYS): Date {
  return new Date((Math.floor(issuedAt.getTime() / DAY_MS) + maxAgeDays) * DAY_MS);
}

/**
 * Verifies a shelf code; returns its target or throws {@link ShelfCodeError}: `expired` once the code is
 * older than `maxAgeDays` (also for codes printed before codes carried an issue day, which are `malformed`).
 */
export function verifyShelfCode(
  code: string,
  secret: string,
  now: number = Date.now(),
  maxAgeDays: number = SHELF_CODE_MAX_AGE_DAYS,
): ShelfTarget {
  if (typeof code !== "string" || code.length > 300) throw new ShelfCodeError("malformed");
  const parts = code.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new ShelfCodeError("malformed");
  const [body, sig] = parts as [string, string];
  const given = Buffer.from(sig, "base64url");
  const expected = mac(body, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new ShelfCodeError("bad-signature");
  let claims: ShelfClaims;
  try {
    claims = ZShelfClaims.parse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
  } catch {
    throw new ShelfCodeError("malformed");
  }
  const issuedAt = new Date(claims.d * DAY_MS);
  const expiresAt = shelfCodeExpiry(issuedAt, maxAgeDays);
  // A day of slack for clocks; a code from further in the future was not printed by this deployment's clock.
  if (now >= expiresAt.getTime() || issuedAt.getTime() > now + DAY_MS) throw new ShelfCodeError("expired");
  return { storeId: claims.s, itemId: claims.i, issuedAt, expiresAt };
}

/**
 * Short shelf codes: what signs printed from now on encode (`<origin>/s/q/<code>`). A code is
 * {@link SHORT_SHELF_CODE_LENGTH} random characters of RFC 4648 base32 in lower case (60 bits from the
 * CSPRNG): nothing to forge (the code carries no claims; the server looks it up), too many to guess (with
 * the per-client and per-item rate limits of `/s/q`), and revocable one sign at a time (the row's
 * `revokedAt`). About 100 characters shorter than a signed code, so the QR symbol needs far fewer modules
 * (`https://shop.example/s/q/…`: version 3, 29×29 modules, instead of 8, 49×49; node-qrcode, level M) and
 * scans from further away.
 */
export const SHORT_SHELF_CODE_LENGTH = 12;

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
const SHORT_CODE = new RegExp(`^[a-z2-7]{${SHORT_SHELF_CODE_LENGTH}}$`);

/** A fresh random short shelf code (`randomBytes` supplies the bytes; injectable for tests). */
export function newShortShelfCode(random: (n: number) => Uint8Array = randomBytes): string {
  // 256 is a multiple of 32: taking the low 5 bits of each byte is uniform.
  return Array.from(random(SHORT_SHELF_CODE_LENGTH), (b) => BASE32[b & 31]).join("");
}

/** Whether a string has the shape of a short shelf code (signed codes always contain a "."). */
export function isShortShelfCode(code: string): boolean {
  return SHORT_CODE.test(code);
}
