"use client";

import { useEffect, useRef, useState } from "react";

/** A prompt as the kiosk stream sends it (checked here without a schema library, to keep the page light). */
interface Prompt {
  promptId: string;
  itemName: string;
  href: string;
  /** ms since epoch */
  expiresAt: number;
}

/** How long a prompt stays on screen without a tap, ms. */
const PROMPT_VISIBLE_MS = 60_000;

function parsePrompt(data: string): Prompt | null {
  try {
    const p = JSON.parse(data) as Partial<Prompt>;
    if (
      typeof p.promptId === "string" &&
      typeof p.itemName === "string" &&
      typeof p.href === "string" &&
      p.href.startsWith("/s/") &&
      typeof p.expiresAt === "number"
    )
      return p as Prompt;
  } catch {
    /* ignore a malformed event */
  }
  return null;
}

type Status = "connecting" | "ready" | "offline" | "replaced";

export function KioskScreen({
  kioskId,
  storeName,
  servesZone,
}: {
  kioskId: string;
  storeName: string;
  servesZone: boolean;
}) {
  const [status, setStatus] = useState<Status>("connecting");
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  const startRef = useRef<HTMLAnchorElement>(null);

  useEffect(() => {
    const source = new EventSource(`/api/kiosk/${encodeURIComponent(kioskId)}/events`);
    source.addEventListener("ready", () => setStatus("ready"));
    source.addEventListener("unavailable", () => setStatus("offline"));
    // Another screen opened this kiosk: stop here (reconnecting would take it back, back and forth).
    source.addEventListener("replaced", () => {
      source.close();
      setStatus("replaced");
    });
    source.addEventListener("prompt", (e) => {
      const p = parsePrompt((e as MessageEvent<string>).data);
      if (p) setPrompt(p);
    });
    source.onerror = () => setStatus((s) => (s === "replaced" ? s : "connecting"));
    return () => source.close();
  }, [kioskId]);

  useEffect(() => {
    if (!prompt) return;
    startRef.current?.focus();
    const ms = Math.max(0, Math.min(PROMPT_VISIBLE_MS, prompt.expiresAt - Date.now()));
    const timer = setTimeout(() => setPrompt(null), ms);
    return () => clearTimeout(timer);
  }, [prompt]);

  return (
    <div
      className="fixed inset-0 z-50 flex flex-col bg-slate-900 text-white"
      data-testid="kiosk"
      data-kiosk-status={status}
    >
      <div className="flex items-center justify-between px-8 py-4 text-lg text-slate-300">
        <span>{storeName}</span>
        <span role="status" className="flex items-center gap-2">
          <span
            aria-hidden="true"
            className={`inline-block size-3 rounded-full ${status === "ready" ? "bg-emerald-400" : "bg-amber-400"}`}
          />
          {status === "ready"
            ? "Connected"
            : status === "offline"
              ? "Offline — retrying"
              : status === "replaced"
                ? "Opened on another screen — reload to take over"
                : "Connecting…"}
        </span>
      </div>
      <div className="flex flex-1 items-center justify-center px-8">
        <section aria-live="polite" className="w-full max-w-3xl space-y-8 text-center">
          {prompt ? (
            <div className="space-y-8" data-testid="kiosk-prompt">
              <h1 className="text-5xl font-semibold leading-tight">Got 30 seconds?</h1>
              <p className="text-3xl">
                Tell us what you think of <strong>{prompt.itemName}</strong>. It is anonymous.
              </p>
              <div className="grid gap-4 sm:grid-cols-2">
                <a
                  ref={startRef}
                  href={prompt.href}
                  className="inline-flex min-h-20 items-center justify-center rounded-2xl bg-amber-400 px-8 text-3xl font-semibold text-slate-900 focus-visible:outline-none focus-visible:ring-8 focus-visible:ring-white"
                >
                  Start
                </a>
                <button
                  type="button"
                  onClick={() => setPrompt(null)}
                  className="inline-flex min-h-20 items-center justify-center rounded-2xl border-2 border-slate-500 px-8 text-3xl focus-visible:outline-none focus-visible:ring-8 focus-visible:ring-white"
                >
                  Not now
                </button>
              </div>
            </div>
          ) : (
            <div className="space-y-6">
              <h1 className="text-5xl font-semibold leading-tight">Help us stock what you love</h1>
              <p className="text-2xl text-slate-300">
                {servesZone
                  ? "Now and then we ask shoppers a quick, anonymous question about a product on this shelf."
                  : "This kiosk is not assigned to a shelf zone yet."}
              </p>
            </div>
          )}
        </section>
      </div>
    </div>
  );
}
