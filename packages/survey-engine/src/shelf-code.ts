import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * A printed QR code cannot hold a single-use invite (it is scanned by many shoppers for months), so it
 * holds a *shelf code*: a signed, non-expiring pointer to one item in one store. Scanning it mints a fresh
 * single-use invite (when the item's survey is active) and redirects to it. The signature means only codes
 * this deployment printed work, and an attacker cannot mint invites for arbitrary store/item pairs.
 * Rotating the secret retires every printed code.
 */

export class ShelfCodeError extends Error {
  constructor(readonly code: "malformed" | "bad-signature") {
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
  })
  .strict();
export type ShelfClaims = z.infer<typeof ZShelfClaims>;

/** Truncated HMAC-SHA256: 128 bits is plenty against forgery and keeps the QR code small. */
const SIG_BYTES = 16;

function mac(body: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(`shelf:${body}`).digest().subarray(0, SIG_BYTES);
}

/** Signs `{storeId, itemId}` as `<claims>.<mac>` (base64url). Deterministic: one code per store × item. */
export function signShelfCode(storeId: string, itemId: string, secret: string): string {
  if (secret.length < 32) throw new Error("survey secret must be at least 32 characters");
  const claims: ShelfClaims = ZShelfClaims.parse({ s: storeId, i: itemId });
  const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${body}.${mac(body, secret).toString("base64url")}`;
}

/** Verifies a shelf code; returns `{storeId, itemId}` or throws {@link ShelfCodeError}. */
export function verifyShelfCode(code: string, secret: string): { storeId: string; itemId: string } {
  if (typeof code !== "string" || code.length > 300) throw new ShelfCodeError("malformed");
  const parts = code.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new ShelfCodeError("malformed");
  const [body, sig] = parts as [string, string];
  const given = Buffer.from(sig, "base64url");
  const expected = mac(body, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new ShelfCodeError("bad-signature");
  try {
    const claims = ZShelfClaims.parse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    return { storeId: claims.s, itemId: claims.i };
  } catch {
    throw new ShelfCodeError("malformed");
  }
}
