import type { Db } from "@shelf/db";
import { ShelfCodeError, type RateLimitResult } from "@shelf/survey-engine";
import { INVITE_TTL_MS } from "./config.ts";
import { alertCodeFlood } from "./flood-alert.ts";
import { createInvite, isSurveyActive } from "./invites.ts";
import type { SurveyRateLimiter } from "./rate-limiter.ts";
import { resolveShelfCode } from "./shelf-qr.ts";

/** What a scan of a printed code leads to; the route turns it into a redirect or a 429. */
export type ShelfScanOutcome =
  /** Unknown, revoked or forged code. */
  | { kind: "invalid" }
  /** An old signed code past its age. */
  | { kind: "expired" }
  /** The item's survey is not running. */
  | { kind: "closed" }
  /** A rate limit refused the scan. */
  | { kind: "limited"; limit: RateLimitResult }
  /** A fresh single-use invite. */
  | { kind: "invite"; token: string };

/**
 * One scan of a printed shelf code (`/s/q/<code>`), in the order that keeps a flood cheap:
 *
 * 1. the per-client limit (only with a trusted client address): refused → no database query at all, so a
 *    client trying random short codes costs at most `qr-client`'s limit in lookups per window, and a
 *    refused client's scans no longer use up the item's own budget;
 * 2. the code: a short code is looked up (unknown or revoked → invalid), an older signed code is checked
 *    without the database;
 * 3. the per-item limits (hour and day, whatever code or address was used; the item is only known after
 *    step 2), with the anomaly alert when one is passed;
 * 4. whether the survey runs, then the invite.
 *
 * There is no per-code limit before the lookup: a flood of random codes gives each code a fresh counter,
 * so it would bound nothing and cost a Redis key per guess.
 */
export async function scanShelfCode(input: {
  db: Db;
  limiter: SurveyRateLimiter;
  secret: string;
  code: string;
  /** The trusted client address, or null (then no per-client limit applies). */
  client: string | null;
}): Promise<ShelfScanOutcome> {
  const { db, limiter, secret, code, client } = input;
  if (client) {
    const perClient = await limiter.hit("qr-client", client);
    if (!perClient.allowed) return { kind: "limited", limit: perClient };
  }
  let target: { storeId: string; itemId: string };
  try {
    target = await resolveShelfCode(db, code, secret);
  } catch (err) {
    if (err instanceof ShelfCodeError) return { kind: err.code === "expired" ? "expired" : "invalid" };
    throw err;
  }
  const subject = `${target.storeId}:${target.itemId}`;
  const [hour, day] = await Promise.all([
    limiter.hit("qr-code", subject),
    limiter.hit("qr-code-day", subject),
  ]);
  await alertCodeFlood(db, target, "qr-code", hour);
  await alertCodeFlood(db, target, "qr-code-day", day);
  const refused = [hour, day].find((l) => !l.allowed);
  if (refused) return { kind: "limited", limit: refused };
  if (!(await isSurveyActive(db, target.storeId, target.itemId))) return { kind: "closed" };
  const invite = await createInvite({
    db,
    secret,
    storeId: target.storeId,
    itemId: target.itemId,
    channel: "qr",
    ttlMs: INVITE_TTL_MS.qr,
  });
  return { kind: "invite", token: invite.token };
}
