import type { ReactNode } from "react";

/** Kiosk ids appear in links back to the kiosk: only plain ids are accepted. */
export function safeKioskId(value: unknown): string | null {
  return typeof value === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : null;
}

/**
 * The frame of every shopper page. On a phone: one readable column. On a kiosk (`kioskId` set): it covers
 * the whole screen with larger type, and `idleReturnS` sends the screen back to the kiosk's idle page after
 * that many seconds (a shopper who walks away must not leave their answers for the next one; nothing was
 * stored unless they pressed Send). Works without JavaScript (meta refresh).
 */
export function SurveyShell({
  kioskId,
  idleReturnS,
  children,
}: {
  kioskId: string | null;
  idleReturnS?: number;
  children: ReactNode;
}) {
  const kiosk = safeKioskId(kioskId);
  return (
    <div
      className={
        kiosk
          ? "fixed inset-0 z-50 overflow-y-auto bg-white px-8 py-12 text-2xl leading-relaxed text-slate-900"
          : "mx-auto max-w-md text-lg leading-relaxed"
      }
      data-survey-mode={kiosk ? "kiosk" : "mobile"}
    >
      {kiosk && idleReturnS ? (
        <meta httpEquiv="refresh" content={`${idleReturnS};url=/kiosk/${kiosk}`} />
      ) : null}
      <div className={kiosk ? "mx-auto max-w-3xl space-y-8" : "space-y-6"}>{children}</div>
    </div>
  );
}

/** Large, high-contrast buttons (≥ 56 px tall: comfortable touch targets, visible keyboard focus). */
export const primaryButton =
  "inline-flex min-h-14 w-full items-center justify-center rounded-xl bg-slate-900 px-6 py-3 text-lg font-semibold text-white hover:bg-slate-700 focus-visible:outline-none focus-visible:ring-4 focus-visible:ring-amber-400";
export const secondaryButton =
  "inline-flex min-h-14 w-full items-center justify-center rounded-xl border-2 border-slate-300 bg-white px-6 py-3 text-lg font-semibold text-slate-900 hover:bg-slate-100 focus-visible:outline-none focus-visible:ring-4 focus-visible:ring-amber-400";
