import { primaryButton, safeKioskId, SurveyShell } from "./survey-shell";

export const STATUS_KINDS = [
  "thanks",
  "declined",
  "used",
  "expired",
  "invalid",
  "closed",
  "unavailable",
] as const;
export type StatusKind = (typeof STATUS_KINDS)[number];

const MESSAGES: Record<StatusKind, { title: string; text: string }> = {
  thanks: {
    title: "Thank you!",
    text: "Your answers were saved anonymously. They help the store do better.",
  },
  declined: {
    title: "No problem",
    text: "We only noted that you declined. Enjoy your shopping!",
  },
  used: {
    title: "This survey link has already been used",
    text: "Each link works once, so answers cannot be sent twice. Thank you for your help!",
  },
  expired: {
    title: "This survey link has expired",
    text: "Survey links work for a short while only. If you would still like to help, scan the code on the shelf again.",
  },
  invalid: {
    title: "This link does not work",
    text: "It may be incomplete or mistyped. If you would like to help, scan the code on the shelf again.",
  },
  closed: {
    title: "No survey right now",
    text: "We are not asking about this product at the moment. Thanks for scanning!",
  },
  unavailable: {
    title: "The survey is unavailable",
    text: "Something went wrong on our side. Nothing you entered was saved. Please try again later.",
  },
};

/** Seconds a kiosk shows a final screen before returning to its idle page. */
const KIOSK_RETURN_S = 8;

/** A friendly final page: thanks, declined, or why a link cannot be used. */
export function StatusView({ kind, kioskId }: { kind: StatusKind; kioskId: string | null }) {
  const m = MESSAGES[kind];
  const kiosk = safeKioskId(kioskId);
  return (
    <SurveyShell kioskId={kiosk} idleReturnS={KIOSK_RETURN_S}>
      <section
        aria-labelledby="status-heading"
        data-testid="survey-status"
        data-status={kind}
        className="space-y-4"
      >
        <h1 id="status-heading" className="text-3xl font-semibold">
          {m.title}
        </h1>
        <p>{m.text}</p>
        {kiosk ? (
          <a href={`/kiosk/${kiosk}`} className={primaryButton}>
            Back to the start
          </a>
        ) : null}
      </section>
    </SurveyShell>
  );
}
