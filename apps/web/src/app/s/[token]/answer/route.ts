import { db } from "@shelf/api/db";
import { MAX_FORM_BYTES } from "@shelf/api/survey/config";
import { surveyConfigFromEnv, surveyRedis, textAnalyzer } from "@shelf/api/survey/context";
import { clientAddress } from "@shelf/api/survey/client-address";
import {
  BodyTooLargeError,
  bodyTooLarge,
  readForm,
  seeOther,
  statusPath,
  tooManyRequests,
  UnsupportedBodyError,
  unsupportedBody,
} from "@shelf/api/survey/http";
import { submitSurvey } from "@shelf/api/survey/submit";

export const dynamic = "force-dynamic";

/** The questions form posts here. Free text is never logged, on any path. */
export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const { limiter } = surveyRedis();
  const client = clientAddress(request.headers);
  for (const limit of await Promise.all([
    limiter.hit("submit-token", token),
    client ? limiter.hit("submit-client", client) : null,
  ]))
    if (limit && !limit.allowed) return tooManyRequests(limit);
  let form: URLSearchParams;
  try {
    form = await readForm(request, MAX_FORM_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLargeError) return bodyTooLarge();
    if (err instanceof UnsupportedBodyError) return unsupportedBody();
    throw err;
  }
  const consentVersion = form.get("consent");
  const result = await submitSurvey({
    db: db(),
    analyzer: textAnalyzer(),
    secret: surveyConfigFromEnv().secret,
    token,
    consentVersion,
    fields: form.entries(),
  });
  const base = `/s/${encodeURIComponent(token)}`;
  switch (result.status) {
    case "saved":
      return seeOther(statusPath("thanks", result.kioskId));
    case "invalid-answers": {
      const ids = [...new Set(result.issues.map((i) => i.questionId).filter(Boolean))].map(
        encodeURIComponent,
      );
      return seeOther(
        `${base}/questions?consent=${encodeURIComponent(String(consentVersion))}&invalid=${ids.join(",") || "form"}`,
      );
    }
    case "consent-changed":
      return seeOther(`${base}?changed=1`);
    case "invalid":
      return seeOther(statusPath("invalid"));
    default:
      return seeOther(statusPath(result.status, result.kioskId));
  }
}
