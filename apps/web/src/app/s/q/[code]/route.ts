import { ShelfCodeError, type RateLimitResult } from "@shelf/survey-engine";
import { db } from "@shelf/api/db";
import { INVITE_TTL_MS } from "@shelf/api/survey/config";
import { surveyConfigFromEnv, surveyRedis } from "@shelf/api/survey/context";
import { clientAddress } from "@shelf/api/survey/client-address";
import { alertCodeFlood } from "@shelf/api/survey/flood-alert";
import { seeOther, statusPath, tooManyRequests } from "@shelf/api/survey/http";
import { createInvite, isSurveyActive } from "@shelf/api/survey/invites";
import { resolveShelfCode } from "@shelf/api/survey/shelf-qr";

export const dynamic = "force-dynamic";

/**
 * What a printed QR code opens: looks up the sign's short code (unknown or revoked: invalid), or checks an
 * older sign's signed shelf code (and its age: signed codes expire), and while
 * the item's survey is active mints a fresh single-use invite and redirects to its consent screen.
 * Rate-limited per store × item per hour and per day (whatever the code's issue day, whoever scans), and
 * per client where a trusted proxy tells who the client is; passing a per-code limit raises an anomaly
 * alert (log line + audit entry).
 */
export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const { secret } = surveyConfigFromEnv();
  const database = db();
  let target: { storeId: string; itemId: string };
  try {
    target = await resolveShelfCode(database, code, secret);
  } catch (err) {
    if (err instanceof ShelfCodeError)
      return seeOther(statusPath(err.code === "expired" ? "expired" : "invalid"));
    throw err;
  }
  const { limiter } = surveyRedis();
  const subject = `${target.storeId}:${target.itemId}`;
  const client = clientAddress(request.headers);
  const [hour, day, perClient] = await Promise.all([
    limiter.hit("qr-code", subject),
    limiter.hit("qr-code-day", subject),
    client ? limiter.hit("qr-client", client) : null,
  ]);
  await alertCodeFlood(database, target, "qr-code", hour);
  await alertCodeFlood(database, target, "qr-code-day", day);
  const refused = [perClient, hour, day].find((l): l is RateLimitResult => l !== null && !l.allowed);
  if (refused) return tooManyRequests(refused);
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
