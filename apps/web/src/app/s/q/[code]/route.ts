import { db } from "@shelf/api/db";
import { surveyConfigFromEnv, surveyRedis } from "@shelf/api/survey/context";
import { clientAddress } from "@shelf/api/survey/client-address";
import { seeOther, statusPath, tooManyRequests } from "@shelf/api/survey/http";
import { scanShelfCode } from "@shelf/api/survey/shelf-scan";

export const dynamic = "force-dynamic";

/**
 * What a printed QR code opens: the per-client limit first (where a trusted proxy tells who the client is,
 * so guessed codes cost no lookup past it), then the sign's short code is looked up (unknown or revoked:
 * invalid) or an older sign's signed shelf code checked (signed codes expire); then the per store × item
 * limits per hour and per day (whatever the code's issue day, whoever scans; passing one raises an anomaly
 * alert: log line + audit entry); while the item's survey is active it mints a fresh single-use invite and
 * redirects to its consent screen. The order is `scanShelfCode`'s.
 */
export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const outcome = await scanShelfCode({
    db: db(),
    limiter: surveyRedis().limiter,
    secret: surveyConfigFromEnv().secret,
    code,
    client: clientAddress(request.headers),
  });
  switch (outcome.kind) {
    case "limited":
      return tooManyRequests(outcome.limit);
    case "invite":
      return seeOther(`/s/${encodeURIComponent(outcome.token)}`);
    default:
      return seeOther(statusPath(outcome.kind));
  }
}
