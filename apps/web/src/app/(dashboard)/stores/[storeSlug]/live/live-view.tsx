"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ExpressionLegend, ExpressionMix } from "~/components/expression-mix";
import { EmptyState } from "~/components/notice";
import { pct } from "~/lib/format";
import type { LiveFlag } from "@shelf/api/live/state";
import type { LiveZoneStats } from "@shelf/api/live/window";
import { useTRPC } from "~/trpc/react";

type Connection = "connecting" | "live" | "reconnecting" | "unavailable";

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: "Connecting to live updates…",
  live: "Live: updating as faces are seen.",
  reconnecting: "Connection lost; reconnecting…",
  unavailable: "Live updates are unavailable; showing the last known state.",
};

export function LiveView({ storeSlug, timeZone }: { storeSlug: string; timeZone: string }) {
  const trpc = useTRPC();
  const { data: snapshot } = useSuspenseQuery(trpc.live.snapshot.queryOptions({ storeSlug }));
  const [distribution, setDistribution] = useState<LiveZoneStats[]>(snapshot.distribution);
  const [flags, setFlags] = useState<LiveFlag[]>(snapshot.flags);
  const [k, setK] = useState(snapshot.k);
  const [connection, setConnection] = useState<Connection>("connecting");
  const [updatedAt, setUpdatedAt] = useState(snapshot.at);

  useEffect(() => {
    const source = new EventSource(`/api/live/${encodeURIComponent(storeSlug)}`);
    source.addEventListener("error", () =>
      setConnection(source.readyState === EventSource.CLOSED ? "unavailable" : "reconnecting"),
    );
    source.addEventListener("snapshot", (e) => {
      const s = JSON.parse((e as MessageEvent<string>).data) as typeof snapshot;
      setDistribution(s.distribution);
      setFlags(s.flags);
      setK(s.k);
      setUpdatedAt(s.at);
      setConnection("live");
    });
    source.addEventListener("zones", (e) => {
      const z = JSON.parse((e as MessageEvent<string>).data) as { at: number; distribution: LiveZoneStats[] };
      setDistribution(z.distribution);
      setUpdatedAt(z.at);
    });
    source.addEventListener("flag", (e) => {
      const f = JSON.parse((e as MessageEvent<string>).data) as LiveFlag;
      setFlags((cur) =>
        [f, ...cur.filter((x) => !(x.flagId === f.flagId && x.state === f.state))].slice(0, 30),
      );
    });
    source.addEventListener("unavailable", () => setConnection("unavailable"));
    return () => source.close();
  }, [storeSlug]);

  const time = (ms: number) =>
    new Intl.DateTimeFormat("en-GB", { timeStyle: "medium", timeZone }).format(new Date(ms));
  const stats = new Map(distribution.map((d) => [d.zoneId, d]));

  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
      <div className="space-y-3">
        <p
          role="status"
          className="flex items-center gap-2 text-sm text-slate-600"
          data-testid="live-status"
          data-state={connection}
        >
          <span
            aria-hidden
            className={`inline-block h-2.5 w-2.5 rounded-full ${connection === "live" ? "animate-pulse bg-emerald-500" : connection === "unavailable" ? "bg-red-500" : "bg-amber-400"}`}
          />
          {CONNECTION_TEXT[connection]} Last update {time(updatedAt)}.
        </p>
        <ExpressionLegend />
        {snapshot.zones.length === 0 ? (
          <EmptyState>This store has no shelf zones yet.</EmptyState>
        ) : (
          <ul className="grid gap-3 sm:grid-cols-2">
            {snapshot.zones.map((zone) => {
              const s = stats.get(zone.id);
              return (
                <li
                  key={zone.id}
                  className="space-y-2 rounded-lg border border-slate-200 bg-white p-4"
                  data-testid="live-zone"
                  data-zone={zone.name}
                >
                  <h2 className="flex justify-between font-semibold">
                    {zone.name}
                    {s?.now && !zone.staffOnly ? (
                      <span className="text-sm font-normal text-slate-600" data-testid="live-shoppers">
                        {s.now.shoppers} face{s.now.shoppers === 1 ? "" : "s"} now
                      </span>
                    ) : null}
                  </h2>
                  {zone.staffOnly ? (
                    <p className="text-sm text-slate-500">Staff only: never analysed.</p>
                  ) : (
                    <>
                      {s?.now?.mix ? (
                        <div className="space-y-1">
                          <p className="text-xs text-slate-500">Right now</p>
                          <ExpressionMix mix={s.now.mix} />
                        </div>
                      ) : null}
                      <div className="space-y-1">
                        <p className="text-xs text-slate-500" data-testid="live-visits">
                          Last {snapshot.windowMinutes} min: {s?.n ?? 0} interaction{s?.n === 1 ? "" : "s"}
                          {s?.negativeShare != null
                            ? `, ${pct(s.negativeShare)} with a negative expression`
                            : ""}
                        </p>
                        {s?.mix ? (
                          <ExpressionMix mix={s.mix} />
                        ) : (
                          <p className="text-xs text-slate-400">
                            {(s?.n ?? 0) > 0 ? `mix hidden until ${k} interactions` : "no interactions"}
                          </p>
                        )}
                      </div>
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </div>
      <section aria-labelledby="ticker-heading" className="space-y-2">
        <h2 id="ticker-heading" className="text-lg font-semibold">
          Flags
        </h2>
        <div aria-live="polite">
          {flags.length === 0 ? (
            <EmptyState>No flags yet.</EmptyState>
          ) : (
            <ol className="space-y-2" data-testid="flag-ticker">
              {flags.map((f) => (
                <li
                  key={`${f.flagId}-${f.state}`}
                  className={`rounded-md border p-2 text-sm ${f.state === "raised" ? "border-red-200 bg-red-50" : "border-emerald-200 bg-emerald-50"}`}
                  data-testid="ticker-entry"
                  data-state={f.state}
                >
                  <span className="font-medium">{f.itemName}</span>{" "}
                  {f.state === "raised" ? "flagged" : "cleared"} · {time(f.at)}
                  <span className="block text-xs text-slate-600">
                    {f.state === "raised"
                      ? `lower bound ${pct(f.lower)} > threshold ${pct(f.threshold)}`
                      : "no longer confidently above its threshold"}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </div>
      </section>
    </div>
  );
}
