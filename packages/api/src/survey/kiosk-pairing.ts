import { createHash, createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import type { RedisClient } from "@shelf/core/redis-client";
import type { Db } from "@shelf/db";

/**
 * Kiosk pairing. A kiosk's stream mints survey invites, so only the device an admin set up may open it:
 *
 * 1. An admin creates a kiosk (or asks for a new code) and gets a one-time pairing code: 10 characters
 *    from a 32-letter alphabet (50 bits), valid {@link PAIRING_CODE_TTL_MS}, stored as a keyed hash.
 * 2. On the tablet, /kiosk/pair takes the code once (a conditional update: of two concurrent uses exactly
 *    one wins) and answers with a long-lived random device credential in a cookie (HttpOnly,
 *    SameSite=Strict, Secure when served over https). Only the credential's SHA-256 is stored; pairing
 *    again replaces it (the old device stops working).
 * 3. The kiosk page and its stream require the credential of THAT kiosk. Revoking the kiosk clears the
 *    credential and any open code; an open stream notices within a heartbeat.
 *
 * One stream per kiosk: a new stream replaces the open one (the old one gets a `replaced` event and
 * closes, and its page stops reconnecting), chosen over refusing because a tablet that lost its network
 * reconnects while the server may still hold its dead stream. Ownership is a Redis key, so it holds across
 * web processes; only the owner acts on live events, so one prompt mints one invite.
 */

/** How long a pairing code works, ms. */
export const PAIRING_CODE_TTL_MS = 15 * 60_000;
/** Cookie that carries `<kioskId>.<credential>`. */
export const KIOSK_COOKIE = "shelf_kiosk";
/** Cookie lifetime, s (browsers cap Max-Age at 400 days; the kiosk page renews it on every visit). */
export const KIOSK_COOKIE_MAX_AGE_S = 400 * 86_400;
/** A stream's ownership lapses this long after its last heartbeat, ms. */
export const STREAM_OWNER_TTL_MS = 45_000;

/** Unambiguous letters and digits (no 0/O, 1/I/L): read off a screen and typed on a tablet. */
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LENGTH = 10;
const ZKioskId = /^[A-Za-z0-9_-]{1,64}$/;

/** A fresh pairing code, shown as `XXXXX-XXXXX`. */
export function newPairingCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** What a person typed, normalised (case, spaces, dashes); null when it cannot be a code. */
export function normalizePairingCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, "");
  if (code.length !== CODE_LENGTH || [...code].some((c) => !ALPHABET.includes(c))) return null;
  return code;
}

/** Keyed hash of a normalised code (a leaked table does not let anyone try codes offline). */
export function pairingCodeHash(normalized: string, secret: string): string {
  return createHmac("sha256", secret).update(`kiosk-pair:${normalized}`).digest("hex");
}

function credentialHash(credential: string): string {
  return createHash("sha256").update(credential).digest("hex");
}

/** Issues a new pairing code for a kiosk (replacing any open one). Returns the code to show once. */
export async function issuePairingCode(
  db: Db,
  kioskId: string,
  secret: string,
  now = new Date(),
): Promise<{ code: string; expiresAt: Date }> {
  const code = newPairingCode();
  const expiresAt = new Date(now.getTime() + PAIRING_CODE_TTL_MS);
  await db.kiosk.update({
    where: { id: kioskId },
    data: {
      pairingCodeHash: pairingCodeHash(normalizePairingCode(code)!, secret),
      pairingExpiresAt: expiresAt,
    },
  });
  return { code, expiresAt };
}

export type PairResult =
  { ok: true; kioskId: string; cookieValue: string } | { ok: false; reason: "malformed" | "unknown" };

/**
 * Redeems a pairing code: single use, unexpired, kiosk not revoked. An unknown, used, expired or revoked
 * code answers the same `unknown` (a prober learns nothing).
 */
export async function redeemPairingCode(
  db: Db,
  input: string,
  secret: string,
  now = new Date(),
): Promise<PairResult> {
  const normalized = normalizePairingCode(input);
  if (!normalized) return { ok: false, reason: "malformed" };
  const hash = pairingCodeHash(normalized, secret);
  const kiosk = await db.kiosk.findUnique({ where: { pairingCodeHash: hash }, select: { id: true } });
  if (!kiosk) return { ok: false, reason: "unknown" };
  const credential = randomBytes(32).toString("base64url");
  const { count } = await db.kiosk.updateMany({
    where: { id: kiosk.id, pairingCodeHash: hash, pairingExpiresAt: { gt: now }, revokedAt: null },
    data: {
      pairingCodeHash: null,
      pairingExpiresAt: null,
      deviceTokenHash: credentialHash(credential),
      pairedAt: now,
    },
  });
  if (count !== 1) return { ok: false, reason: "unknown" };
  return { ok: true, kioskId: kiosk.id, cookieValue: `${kiosk.id}.${credential}` };
}

/** The kiosk credential cookie's value from a `Cookie` header, split; null when absent or malformed. */
export function readKioskCookie(cookieHeader: string | null): { kioskId: string; credential: string } | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== KIOSK_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    const dot = value.indexOf(".");
    const kioskId = value.slice(0, dot);
    const credential = value.slice(dot + 1);
    if (dot < 1 || !ZKioskId.test(kioskId) || !/^[A-Za-z0-9_-]{43}$/.test(credential)) return null;
    return { kioskId, credential };
  }
  return null;
}

/** The `Set-Cookie` value for a paired device. `secure` when the app is served over https. */
export function kioskCookie(value: string, secure: boolean): string {
  return [
    `${KIOSK_COOKIE}=${value}`,
    "Path=/",
    `Max-Age=${KIOSK_COOKIE_MAX_AGE_S}`,
    "HttpOnly",
    "SameSite=Strict",
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

/** Whether the app is served over https (PUBLIC_BASE_URL, else the forwarded protocol). */
export function isHttps(publicBaseUrl: string | null, headers: Headers): boolean {
  if (publicBaseUrl) return publicBaseUrl.startsWith("https:");
  return headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

export interface PairedKiosk {
  id: string;
  storeId: string;
  zoneId: string | null;
  name: string;
}

/**
 * The kiosk `kioskId` when the request carries the paired credential of THAT kiosk and the kiosk is not
 * revoked; null otherwise (no cookie, another kiosk's cookie, a replaced or revoked credential).
 */
export async function authenticateKiosk(
  db: Db,
  kioskId: string,
  cookieHeader: string | null,
): Promise<PairedKiosk | null> {
  const cookie = readKioskCookie(cookieHeader);
  if (!cookie || cookie.kioskId !== kioskId) return null;
  const kiosk = await db.kiosk.findUnique({
    where: { id: kioskId },
    select: { id: true, storeId: true, zoneId: true, name: true, deviceTokenHash: true, revokedAt: true },
  });
  if (!kiosk || kiosk.revokedAt || !kiosk.deviceTokenHash) return null;
  const given = Buffer.from(credentialHash(cookie.credential), "hex");
  const stored = Buffer.from(kiosk.deviceTokenHash, "hex");
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return null;
  return { id: kiosk.id, storeId: kiosk.storeId, zoneId: kiosk.zoneId, name: kiosk.name };
}

/** Redis key naming the stream that currently owns a kiosk. */
export function streamOwnerKey(prefix: string, kioskId: string): string {
  return `${prefix}:kiosk:stream:${kioskId}`;
}

/** Claims a kiosk for a new stream (replacing any owner). Returns the stream's id. */
export async function claimKioskStream(redis: RedisClient, prefix: string, kioskId: string): Promise<string> {
  const streamId = randomUUID();
  await redis.set(streamOwnerKey(prefix, kioskId), streamId, "PX", STREAM_OWNER_TTL_MS);
  return streamId;
}

/** Refreshes the claim if this stream still owns the kiosk; false once another stream took it over. */
export async function stillOwnsKiosk(
  redis: RedisClient,
  prefix: string,
  kioskId: string,
  streamId: string,
): Promise<boolean> {
  const key = streamOwnerKey(prefix, kioskId);
  // Compare and extend atomically, so a takeover between the two steps is never overwritten.
  const owned = await redis.eval(
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end",
    1,
    key,
    streamId,
    String(STREAM_OWNER_TTL_MS),
  );
  return owned === 1;
}
