import type { Metadata } from "next";
import { CONSENT_TEXT, renderConsent } from "@shelf/survey-engine";
import { db } from "@shelf/api/db";
import { surveyConfigFromEnv } from "@shelf/api/survey/context";
import { loadInvite } from "@shelf/api/survey/invites";
import { inviteNoticeHref } from "@shelf/api/routers/compliance/invite-notice";
import { StatusView } from "../_components/status-view";
import { primaryButton, secondaryButton, SurveyShell } from "../_components/survey-shell";

export const dynamic = "force-dynamic";
export const metadata: Metadata = {
  title: "A quick question — Shelf Sentiment",
  // The URL carries a single-use token: never send it to another site.
  referrer: "no-referrer",
  robots: { index: false, follow: false },
};

/** Seconds of inactivity before a kiosk drops an unanswered consent screen. */
const KIOSK_IDLE_S = 90;

/** First screen: what is asked, that nothing identifies the shopper, and a one-tap yes or no. */
export default async function ConsentPage({
  params,
  searchParams,
}: {
  params: Promise<{ token: string }>;
  searchParams: Promise<{ changed?: string }>;
}) {
  const { token } = await params;
  const { changed } = await searchParams;
  const view = await loadInvite(db(), token, surveyConfigFromEnv().secret);
  if (view.state === "invalid") return <StatusView kind="invalid" kioskId={null} />;
  if (view.state !== "open") return <StatusView kind={view.state} kioskId={view.kioskId} />;
  const text = renderConsent(CONSENT_TEXT, { item: view.item.name, questions: view.questions.length });
  const base = `/s/${encodeURIComponent(token)}`;
  const [privacy, invite] = await Promise.all([
    inviteNoticeHref(db(), view.inviteId, base, view.kioskId),
    // Who runs the survey: the store's controller when it has named one, else the store.
    db().surveyInvite.findUnique({
      where: { id: view.inviteId },
      select: { store: { select: { name: true, controllerName: true } } },
    }),
  ]);
  const storeName = invite?.store.name ?? "this store";
  const operator = invite?.store.controllerName?.trim() || storeName;
  return (
    <SurveyShell kioskId={view.kioskId} idleReturnS={KIOSK_IDLE_S}>
      <section aria-labelledby="consent-heading" className="space-y-4" data-testid="consent">
        {changed ? (
          <p role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-base">
            The text below changed since you opened this survey. Please read it again before you decide.
          </p>
        ) : null}
        <h1 id="consent-heading" className="text-3xl font-semibold leading-tight">
          {text.title}
        </h1>
        {text.body.map((p) => (
          <p key={p}>{p}</p>
        ))}
        <p className="text-base text-slate-700" data-testid="consent-cameras">
          Cameras at the shelves of {storeName} estimate facial expressions — not feelings — and keep only
          anonymous counts; no image is stored. This survey is run by {operator}.
        </p>
      </section>
      <div className="grid gap-3">
        <form method="get" action={`${base}/questions`}>
          <input type="hidden" name="consent" value={CONSENT_TEXT.version} />
          <button type="submit" className={primaryButton}>
            {CONSENT_TEXT.accept}
          </button>
        </form>
        <form method="post" action={`${base}/decline`}>
          <input type="hidden" name="consent" value={CONSENT_TEXT.version} />
          <button type="submit" className={secondaryButton}>
            {CONSENT_TEXT.decline}
          </button>
        </form>
      </div>
      {privacy ? (
        <p className="text-sm">
          <a
            href={privacy}
            className="inline-flex min-h-14 items-center underline"
            data-testid="privacy-link"
          >
            Privacy notice
          </a>
        </p>
      ) : null}
    </SurveyShell>
  );
}
