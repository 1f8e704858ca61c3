import { db } from "@shelf/api/db";
import { surveyConfigFromEnv, surveyRedis } from "@shelf/api/survey/context";
import { clientAddress } from "@shelf/api/survey/client-address";
import { seeOther, statusPath, tooManyRequests } from "@shelf/api/survey/http";
import { declineSurvey } from "@shelf/api/survey/submit";

export const dynamic = "force-dynamic";

/** "No, thanks" on the consent screen: one tap records the decline (no answers) and ends the flow. */
export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const { limiter } = surveyRedis();
  const client = clientAddress(request.headers);
  for (const limit of await Promise.all([
    limiter.hit("submit-token", token),
    client ? limiter.hit("submit-client", client) : null,
  ]))
    if (limit && !limit.allowed) return tooManyRequests(limit);
  const result = await declineSurvey({ db: db(), secret: surveyConfigFromEnv().secret, token });
  switch (result.status) {
    case "declined":
      return seeOther(statusPath("declined", result.kioskId));
    case "invalid":
      return seeOther(statusPath("invalid"));
    default:
      return seeOther(statusPath(result.status, result.kioskId));
  }
}
