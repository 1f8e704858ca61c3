"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { EmptyState } from "~/components/notice";
import { link } from "~/lib/classes";
import { dateTime, pct } from "~/lib/format";
import type { RouterOutputs } from "@shelf/api/root";
import { useTRPC } from "~/trpc/react";
import { FlagWorkflow, flagStatusText } from "./flag-workflow";

type Flag = RouterOutputs["flags"]["list"]["open"][number];

const LEVEL: Record<string, string> = { global: "store-wide", category: "category", item: "product" };

/** Why a flag was raised, in one sentence. */
export function flagReason(f: Flag): string {
  const r = f.reason;
  if (!r) return "Raised on fewer interactions than k: details hidden.";
  return `${r.negatives} of ${r.n} interactions (${pct(r.rate)}) showed a negative expression over ${r.windowHours} h (95 % CI ${pct(r.lower)}–${pct(r.upper)}). The lower bound ${pct(r.lower)} is above the ${LEVEL[r.thresholdLevel] ?? r.thresholdLevel} threshold of ${pct(r.threshold)}.`;
}

export function FlagList({
  input,
  timeZone,
}: {
  input: { storeSlug: string; clearedWithinDays: number };
  timeZone: string;
}) {
  const trpc = useTRPC();
  const { data } = useSuspenseQuery(trpc.flags.list.queryOptions(input));
  return (
    <div className="space-y-8">
      {data.open.length === 0 ? (
        <EmptyState testId="no-flags">
          No product is flagged. Products are flagged when their negative-expression rate is confidently above
          a threshold.
        </EmptyState>
      ) : (
        <ol className="space-y-3" aria-label="Open flags, most certain first">
          {data.open.map((f, i) => (
            <li
              key={f.flagId}
              className="rounded-lg border border-red-200 bg-white p-4"
              data-testid="flag-row"
              data-sku={f.item.sku}
            >
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 className="font-semibold">
                  <span className="mr-2 text-slate-400">#{i + 1}</span>
                  <Link href={`/stores/${data.store.slug}/products/${f.item.id}`} className={link}>
                    {f.item.name}
                  </Link>{" "}
                  <span className="font-mono text-xs text-slate-500">{f.item.sku}</span>
                </h2>
                <span className="text-sm text-slate-500">flagged {dateTime(f.raisedAt, timeZone)}</span>
              </div>
              <p className="mt-1 text-sm text-slate-700" data-testid="flag-reason">
                {flagReason(f)}
              </p>
              {f.current ? (
                <p className="mt-1 text-xs text-slate-500">
                  Now: {pct(f.current.rate)} (95 % CI {pct(f.current.lower)}–{pct(f.current.upper)}) over{" "}
                  {f.current.n} interactions.
                </p>
              ) : null}
              <p className="mt-2 text-sm">
                <a
                  href={`/qr/${encodeURIComponent(data.store.slug)}/${encodeURIComponent(f.item.id)}`}
                  className={link}
                  data-testid="flag-print-sign"
                >
                  Print shelf sign
                </a>
              </p>
              <FlagWorkflow flag={f} storeSlug={data.store.slug} timeZone={timeZone} />
            </li>
          ))}
        </ol>
      )}
      {data.cleared.length ? (
        <section aria-labelledby="cleared-heading" className="space-y-2">
          <h2 id="cleared-heading" className="text-lg font-semibold">
            Cleared in the last {input.clearedWithinDays} days
          </h2>
          <ul className="space-y-1 text-sm text-slate-700">
            {data.cleared.map((f) => (
              <li key={f.flagId} data-testid="cleared-row" data-sku={f.item.sku}>
                <Link href={`/stores/${data.store.slug}/products/${f.item.id}`} className={link}>
                  {f.item.name}
                </Link>{" "}
                — flagged {dateTime(f.raisedAt, timeZone)}, cleared {dateTime(f.clearedAt, timeZone)}
                {f.resolved || f.acknowledged ? (
                  <span className="text-slate-500"> · {flagStatusText(f, timeZone)}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
