import type { Db } from "@shelf/db";
import { signShelfCode } from "@shelf/survey-engine";

/** The store and item a printed QR code is for; null when either does not exist. */
export async function loadShelfTarget(
  db: Db,
  storeSlug: string,
  itemId: string,
): Promise<{
  store: { id: string; name: string; slug: string };
  item: { id: string; sku: string; name: string };
} | null> {
  if (storeSlug.length > 64 || itemId.length > 64) return null;
  const [store, item] = await Promise.all([
    db.store.findUnique({ where: { slug: storeSlug }, select: { id: true, name: true, slug: true } }),
    db.item.findUnique({ where: { id: itemId }, select: { id: true, sku: true, name: true } }),
  ]);
  return store && item ? { store, item } : null;
}

/** The URL a printed QR code holds: `<origin>/s/q/<signed shelf code>` (never a single-use token). */
export function shelfSurveyUrl(origin: string, storeId: string, itemId: string, secret: string): string {
  return `${origin}/s/q/${signShelfCode(storeId, itemId, secret)}`;
}
