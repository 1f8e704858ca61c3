import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/** Why a token was refused. A shopper sees a friendly page for each; none reveals which check failed first. */
export class InviteTokenError extends Error {
  constructor(readonly code: "malformed" | "bad-signature" | "expired") {
    super(`invite token ${code}`);
    this.name = "InviteTokenError";
  }
}

const ZClaims = z
  .object({
    /** Invite id. */
    i: z.string().min(1).max(64),
    /** Expiry, seconds since epoch. */
    e: z.number().int().positive(),
    /** Random nonce: two invites never share a token. */
    n: z.string().min(8).max(64),
  })
  .strict();
export type InviteClaims = z.infer<typeof ZClaims>;

const b64url = (b: Buffer) => b.toString("base64url");

/**
 * Signs an invite as `<claims>.<hmac>` (base64url, HMAC-SHA256). Unguessable (random nonce), tamper-proof
 * (signature), expiring (claims.e). Single use is enforced by the database: only {@link tokenHash} is stored,
 * and the invite row is marked used in the same transaction that stores the response.
 */
export function signInviteToken(inviteId: string, expiresAt: Date, secret: string): string {
  if (secret.length < 32) throw new Error("invite secret must be at least 32 characters");
  const claims: InviteClaims = {
    i: inviteId,
    e: Math.floor(expiresAt.getTime() / 1000),
    n: b64url(randomBytes(12)),
  };
  const body = b64url(Buffer.from(JSON.stringify(claims)));
  return `${body}.${b64url(createHmac("sha256", secret).update(body).digest())}`;
}

/** Verifies signature and expiry; returns the claims or throws {@link InviteTokenError}. */
export function verifyInviteToken(token: string, secret: string, now = new Date()): InviteClaims {
  if (typeof token !== "string" || token.length > 512) throw new InviteTokenError("malformed");
  const parts = token.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new InviteTokenError("malformed");
  const [body, sig] = parts as [string, string];
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new InviteTokenError("bad-signature");
  let claims: InviteClaims;
  try {
    claims = ZClaims.parse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
  } catch {
    throw new InviteTokenError("malformed");
  }
  if (claims.e * 1000 <= now.getTime()) throw new InviteTokenError("expired");
  return claims;
}

/** What the database keeps of a token (a leaked table cannot be replayed as links). */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
