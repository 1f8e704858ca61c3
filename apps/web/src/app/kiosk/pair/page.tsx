import type { Metadata } from "next";

export const dynamic = "force-dynamic";
export const metadata: Metadata = {
  title: "Pair this kiosk — Shelf Sentiment",
  referrer: "no-referrer",
  robots: { index: false, follow: false },
};

const ERRORS: Record<string, string> = {
  malformed: "A pairing code has 10 letters and digits, like ABCDE-23456. Please check it and try again.",
  unknown:
    "That code does not work: it may be mistyped, used already or expired (codes last 15 minutes). Ask an admin for a new one.",
};

/**
 * Turns a tablet into a kiosk: an admin creates the kiosk (Store → Kiosks) and types the one-time code
 * shown there into this form on the device.
 */
export default async function KioskPairPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string | string[] }>;
}) {
  const { error } = await searchParams;
  const message = typeof error === "string" ? ERRORS[error] : undefined;
  return (
    <main className="mx-auto max-w-xl space-y-6 p-8">
      <h1 className="text-3xl font-semibold">Pair this device as a kiosk</h1>
      <p className="text-lg text-slate-700">
        Enter the one-time pairing code an admin got when creating the kiosk (Store → Kiosks).
      </p>
      {message ? (
        <p role="alert" className="rounded-md bg-red-50 p-4 text-lg text-red-800" data-testid="pair-error">
          {message}
        </p>
      ) : null}
      <form method="post" action="/api/kiosk/pair" className="space-y-4">
        <label htmlFor="pairing-code" className="block text-lg font-medium">
          Pairing code
        </label>
        <input
          id="pairing-code"
          name="code"
          required
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={20}
          className="block min-h-14 w-full rounded-lg border-2 border-slate-400 px-4 font-mono text-2xl tracking-widest"
        />
        <button
          type="submit"
          className="min-h-14 w-full rounded-lg bg-slate-900 px-6 text-xl font-semibold text-white focus-visible:outline-none focus-visible:ring-4 focus-visible:ring-amber-400"
        >
          Pair
        </button>
      </form>
    </main>
  );
}
