/**
 * A kiosk address that names no kiosk (HTTP 404): said in words a person at the tablet can act on, in the
 * kiosk's large type, without the dashboard's "back to your stores".
 */
export default function KioskNotFound() {
  return (
    <main className="mx-auto max-w-xl space-y-6 p-8" data-testid="kiosk-not-found">
      <h1 className="text-3xl font-semibold">This kiosk does not exist</h1>
      <p className="text-lg text-slate-700">
        The address may be mistyped, or the kiosk was removed. To set this tablet up as a kiosk, ask a store
        admin to create one (Store → Kiosks) and pair it with the one-time code.
      </p>
      <a
        href="/kiosk/pair"
        className="inline-flex min-h-14 items-center rounded-lg bg-slate-900 px-6 text-xl font-semibold text-white focus-visible:outline-none focus-visible:ring-4 focus-visible:ring-amber-400"
      >
        Pair this tablet
      </a>
    </main>
  );
}
