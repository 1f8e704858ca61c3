import type { RateLimitResult } from "@shelf/survey-engine";
import { db } from "@shelf/api/db";
import { clientAddress } from "@shelf/api/survey/client-address";
import { surveyConfigFromEnv, surveyRedis } from "@shelf/api/survey/context";
import {
  BodyTooLargeError,
  readForm,
  seeOther,
  tooManyRequests,
  UnsupportedBodyError,
  unsupportedBody,
} from "@shelf/api/survey/http";
import { isHttps, kioskCookie, redeemPairingCode } from "@shelf/api/survey/kiosk-pairing";
import { logger } from "@shelf/api/logger";

export const dynamic = "force-dynamic";

/**
 * The pairing form on /kiosk/pair posts here: a valid one-time code turns this device into the kiosk (its
 * credential cookie) and opens the kiosk screen; anything else goes back to the form with an error.
 * Rate-limited per client (with a trusted client address) and for everyone together; cross-site posts
 * are refused (a foreign page must not pair a victim's tablet with the attacker's kiosk).
 */
export async function POST(request: Request) {
  if (request.headers.get("sec-fetch-site") === "cross-site")
    return new Response("cross-site pairing refused", { status: 403 });
  const { limiter } = surveyRedis();
  const client = clientAddress(request.headers);
  const limits = await Promise.all([
    limiter.hit("kiosk-pair", "all"),
    client ? limiter.hit("kiosk-pair-client", client) : null,
  ]);
  const refused = limits.find((l): l is RateLimitResult => l !== null && !l.allowed);
  if (refused) return tooManyRequests(refused);
  let form: URLSearchParams;
  try {
    form = await readForm(request, 4096);
  } catch (err) {
    if (err instanceof BodyTooLargeError || err instanceof UnsupportedBodyError) return unsupportedBody();
    throw err;
  }
  const config = surveyConfigFromEnv();
  const result = await redeemPairingCode(db(), form.get("code") ?? "", config.secret);
  if (!result.ok) return seeOther(`/kiosk/pair?error=${result.reason}`);
  logger().info({ kioskId: result.kioskId }, "kiosk paired");
  const response = seeOther(`/kiosk/${encodeURIComponent(result.kioskId)}`);
  response.headers.append(
    "set-cookie",
    kioskCookie(result.cookieValue, isHttps(config.publicBaseUrl, request.headers)),
  );
  return response;
}
