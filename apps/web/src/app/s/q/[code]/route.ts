import { ShelfCodeError, verifyShelfCode } from "@shelf/survey-engine";
import { db } from "~/server/db";
import { INVITE_TTL_MS } from "~/server/survey/config";
import { surveyConfigFromEnv, surveyRedis } from "~/server/survey/context";
import { clientAddress } from "~/server/survey/client-address";
import { seeOther, statusPath, tooManyRequests } from "~/server/survey/http";
import { createInvite, isSurveyActive } from "~/server/survey/invites";

export const dynamic = "force-dynamic";

/**
 * What a printed QR code opens: checks the signed shelf code, and while the item's survey is active mints a
 * fresh single-use invite and redirects to its consent screen. Rate-limited per client and per code, since
 * every scan writes an invite row (unused ones simply expire).
 */
export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const { secret } = surveyConfigFromEnv();
  let target: { storeId: string; itemId: string };
  try {
    target = verifyShelfCode(code, secret);
  } catch (err) {
    if (err instanceof ShelfCodeError) return seeOther(statusPath("invalid"));
    throw err;
  }
  const { limiter } = surveyRedis();
  for (const limit of await Promise.all([
    limiter.hit("qr-client", clientAddress(request.headers)),
    limiter.hit("qr-code", code),
  ]))
    if (!limit.allowed) return tooManyRequests(limit);
  const database = db();
  if (!(await isSurveyActive(database, target.storeId, target.itemId))) return seeOther(statusPath("closed"));
  const invite = await createInvite({
    db: database,
    secret,
    storeId: target.storeId,
    itemId: target.itemId,
    channel: "qr",
    ttlMs: INVITE_TTL_MS.qr,
  });
  return seeOther(`/s/${encodeURIComponent(invite.token)}`);
}
