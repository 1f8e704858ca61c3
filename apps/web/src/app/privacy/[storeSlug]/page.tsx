import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { safeSurveyBackPath } from "@shelf/api/routers/compliance/invite-notice";
import { PrivacyNotice } from "~/components/compliance/privacy-notice";
import { link } from "~/lib/classes";
import { api } from "~/trpc/server";
import { safeKioskId } from "../../s/_components/survey-shell";

export const dynamic = "force-dynamic";
export const metadata: Metadata = {
  title: "Privacy notice — Shelf Sentiment",
  // Opened from a survey, the URL carries the consent page's single-use token (`back`).
  referrer: "no-referrer",
};

/** Seconds before a notice opened on a kiosk returns the screen to the kiosk (the next shopper's). */
const KIOSK_IDLE_S = 120;

/**
 * Public (no sign-in): what the cameras of a store do, filled in from its configuration. Linked from the
 * entrance sign's QR code and from the survey's consent page (`back`: a link back to it; `kiosk`: on a kiosk,
 * the screen returns to the kiosk when left alone). An unknown store answers 404.
 */
export default async function PrivacyNoticePage({
  params,
  searchParams,
}: {
  params: Promise<{ storeSlug: string }>;
  searchParams: Promise<{ back?: string | string[]; kiosk?: string | string[] }>;
}) {
  const { storeSlug } = await params;
  const query = await searchParams;
  const back = safeSurveyBackPath(query.back);
  const kiosk = safeKioskId(query.kiosk);
  let notice;
  try {
    notice = await api().compliance.notice({ storeSlug });
  } catch (err) {
    if (err instanceof TRPCError && (err.code === "NOT_FOUND" || err.code === "BAD_REQUEST")) notFound();
    throw err;
  }
  return (
    <div className="space-y-6">
      {kiosk ? <meta httpEquiv="refresh" content={`${KIOSK_IDLE_S};url=/kiosk/${kiosk}`} /> : null}
      {back ? (
        <p className="mx-auto max-w-2xl">
          <a
            href={back}
            className={`${link} inline-flex min-h-14 items-center text-lg`}
            data-testid="back-to-survey"
          >
            ← Back to the survey
          </a>
        </p>
      ) : null}
      <PrivacyNotice notice={notice} />
    </div>
  );
}
