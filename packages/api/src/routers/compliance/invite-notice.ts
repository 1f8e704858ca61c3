import type { Db } from "@shelf/db";
import { noticePath } from "./notice-url.ts";

/**
 * Where a survey invite's shopper reads the store's privacy notice: `/privacy/<store>?back=<consent page>`
 * (the notice links back; on a kiosk also `&kiosk=<id>`, so an abandoned notice returns to the kiosk), or
 * null for an unknown invite. Reads only.
 */
export async function inviteNoticeHref(
  db: Db,
  inviteId: string,
  consentPath: string,
  kioskId: string | null,
): Promise<string | null> {
  const invite = await db.surveyInvite.findUnique({
    where: { id: inviteId },
    select: { store: { select: { slug: true } } },
  });
  if (!invite) return null;
  const kiosk = kioskId ? `&kiosk=${encodeURIComponent(kioskId)}` : "";
  return `${noticePath(invite.store.slug)}?back=${encodeURIComponent(consentPath)}${kiosk}`;
}

/** A `back` link the notice may show: only a survey consent page of this site (`/s/<token>`), else null. */
export function safeSurveyBackPath(value: unknown): string | null {
  return typeof value === "string" && /^\/s\/[A-Za-z0-9_-][A-Za-z0-9_.-]{0,2047}$/.test(value) ? value : null;
}
