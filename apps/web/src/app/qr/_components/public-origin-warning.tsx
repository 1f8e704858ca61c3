import { isLocalOrigin } from "@shelf/api/routers/compliance/notice-url";

/**
 * Shown above a printable sign whose QR code would not reach shoppers' phones: PUBLIC_BASE_URL unset (the
 * code then holds whatever address this page was opened at) or pointing at this computer. Not printed.
 */
export function PublicOriginWarning({ url, configured }: { url: string; configured: boolean }) {
  const local = isLocalOrigin(url);
  if (configured && !local) return null;
  return (
    <p
      role="alert"
      className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 print:hidden"
      data-testid="local-origin-warning"
    >
      {local
        ? `The QR code opens ${url}, which works only on this computer.`
        : `PUBLIC_BASE_URL is not set, so the QR code holds the address this page was opened at (${url}).`}{" "}
      Set PUBLIC_BASE_URL to the address shoppers&rsquo; phones can reach before printing.
    </p>
  );
}
