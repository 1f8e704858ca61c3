import type { Db } from "@shelf/db";
import {
  isShortShelfCode,
  newShortShelfCode,
  ShelfCodeError,
  signShelfCode,
  verifyShelfCode,
} from "@shelf/survey-engine";
import type { DbOrTx } from "../audit.ts";

/**
 * The URL a printed QR code held before short codes: `<origin>/s/q/<signed shelf code>` (never a single-use
 * token). Kept for tests of old signs; new signs use {@link shelfSignUrl}.
 */
export function shelfSurveyUrl(origin: string, storeId: string, itemId: string, secret: string): string {
  return `${origin}/s/q/${signShelfCode(storeId, itemId, secret)}`;
}

/** The URL a printed shelf sign's QR code holds: `<origin>/s/q/<short code>`. */
export function shelfSignUrl(origin: string, code: string): string {
  return `${origin.replace(/\/+$/, "")}/s/q/${code}`;
}

export interface ShelfSignRow {
  code: string;
  createdAt: Date;
}

/**
 * The item's current shelf sign in a store: the newest unrevoked short code, created on first use. Two
 * concurrent first prints may both create one; both codes then work and both callers return the newest, so
 * what is shown and what the code files encode agree.
 */
export async function currentShelfSign(db: Db, storeId: string, itemId: string): Promise<ShelfSignRow> {
  const newest = () =>
    db.shelfSign.findFirst({
      where: { storeId, itemId, revokedAt: null },
      orderBy: [{ createdAt: "desc" }, { code: "desc" }],
      select: { code: true, createdAt: true },
    });
  const found = await newest();
  if (found) return found;
  await db.shelfSign.create({ data: { code: newShortShelfCode(), storeId, itemId } });
  return (await newest())!;
}

/**
 * Revokes every open short code of an item in a store (copies printed with them stop working at once) and
 * issues a new one. Returns the revoked codes' count and the new sign.
 */
export async function replaceShelfSign(
  db: DbOrTx,
  storeId: string,
  itemId: string,
  now = new Date(),
): Promise<{ revoked: number; sign: ShelfSignRow }> {
  const { count } = await db.shelfSign.updateMany({
    where: { storeId, itemId, revokedAt: null },
    data: { revokedAt: now },
  });
  const sign = await db.shelfSign.create({
    data: { code: newShortShelfCode(), storeId, itemId },
    select: { code: true, createdAt: true },
  });
  return { revoked: count, sign };
}

/**
 * What a scanned code points at: a short code is looked up (unknown or revoked → `unknown`); anything else
 * is verified as a signed code of an older sign (bad signature → `invalid`, too old → `expired`). Throws
 * {@link ShelfCodeError}.
 */
export async function resolveShelfCode(
  db: Db,
  code: string,
  secret: string,
  now = Date.now(),
): Promise<{ storeId: string; itemId: string }> {
  if (isShortShelfCode(code)) {
    const sign = await db.shelfSign.findUnique({
      where: { code },
      select: { storeId: true, itemId: true, revokedAt: true },
    });
    if (!sign || sign.revokedAt !== null) throw new ShelfCodeError("unknown");
    return { storeId: sign.storeId, itemId: sign.itemId };
  }
  const { storeId, itemId } = verifyShelfCode(code, secret, now);
  return { storeId, itemId };
}
