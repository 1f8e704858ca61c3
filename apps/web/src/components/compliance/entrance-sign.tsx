import type { RouterOutputs } from "@shelf/api/root";

type Notice = RouterOutputs["compliance"]["notice"];

/**
 * What prints on A4 (portrait) and nothing else: the page's other content (site header, navigation, buttons)
 * is hidden from print. Without editing the app's layouts: everything is invisible in print except the sign.
 */
const PRINT_CSS = `
@page { size: A4 portrait; margin: 12mm; }
@media print {
  html, body { background: #fff !important; }
  body * { visibility: hidden; }
  [data-print-sign], [data-print-sign] * { visibility: visible; }
  [data-print-sign] { position: absolute; inset: 0; width: 186mm; min-height: 270mm; margin: 0 auto; border: 0 !important; box-shadow: none !important; }
}
`;

/**
 * The entrance sign (EU AI Act Art. 50(3): people exposed to an emotion recognition system are told so):
 * large type, what the cameras do and do not do, who runs them, and a QR code to the store's privacy
 * notice. `qrDataUrl` is our own SVG as a data: URL (no markup injected into the page).
 */
export function EntranceSign({ notice, qrDataUrl, url }: { notice: Notice; qrDataUrl: string; url: string }) {
  return (
    <>
      <style>{PRINT_CSS}</style>
      <article
        data-print-sign
        data-testid="entrance-sign"
        className="mx-auto flex max-w-[210mm] flex-col gap-6 rounded-2xl border-4 border-slate-900 bg-white p-10 text-slate-900"
      >
        <p className="text-2xl font-semibold uppercase tracking-wide">{notice.store.name}</p>
        <h1 className="text-6xl font-bold leading-tight">Cameras at the shelves read facial expressions</h1>
        <ul className="list-disc space-y-3 pl-8 text-3xl leading-snug">
          <li>
            {notice.cameras.analysing === 1
              ? "One camera estimates"
              : `${notice.cameras.analysing} cameras estimate`}{" "}
            shoppers&rsquo; facial expressions (not feelings) at some shelves, to learn how people react to
            products.
          </li>
          <li>
            <strong>No picture of your face is stored.</strong> You are not identified or recognised.
          </li>
          <li>Only anonymous totals are kept, for {notice.rules.retentionDays} days at most.</li>
          <li>Staff areas are excluded.</li>
        </ul>
        <div className="flex items-center gap-8">
          {/* A data: URL of our own SVG (img-src allows data:): prints with the page, no extra request. */}
          <img src={qrDataUrl} alt="QR code that opens this store's privacy notice" className="h-56 w-56" />
          <div className="space-y-2 text-2xl">
            <p className="font-semibold">Scan for the full privacy notice: who runs this, your rights.</p>
            <p className="break-all font-mono text-lg" data-testid="sign-url">
              {url}
            </p>
          </div>
        </div>
        <p className="text-xl" data-testid="sign-controller">
          Responsible: {notice.controller.name ?? "ask our staff"}
          {notice.controller.contact ? ` · ${notice.controller.contact.replace(/\s*\n\s*/g, ", ")}` : ""}
        </p>
      </article>
    </>
  );
}
