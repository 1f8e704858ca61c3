"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { ExpressionStackChart } from "~/components/charts/expression-stack-chart";
import { SalesChart } from "~/components/charts/simple-charts";
import { ExpressionLegend, ExpressionMix } from "~/components/expression-mix";
import { EmptyState } from "~/components/notice";
import { Stat } from "~/components/stat";
import { table, td, th } from "~/lib/classes";
import { date, dateTime, duration, money, pct, rateWithBounds, signed } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

export function ItemReportView({
  input,
  timeZone,
}: {
  input: { storeSlug: string; itemId: string; from: Date; to: Date; bucket: "day" | "hour" };
  timeZone: string;
}) {
  const trpc = useTRPC();
  const { data: r } = useSuspenseQuery(trpc.reports.itemReport.queryOptions(input));
  const t = r.totals;
  return (
    <div className="space-y-8">
      <dl className="grid grid-cols-2 gap-4 md:grid-cols-5">
        <Stat
          label="Interactions"
          value={t.n}
          testId="report-n"
          hint={t.hidden ? `fewer than k = ${r.k}: details hidden` : undefined}
        />
        <Stat
          label="Rejection rate"
          value={pct(t.rejection?.rate)}
          testId="report-rejection"
          hint={t.rejection ? `95 % CI ${pct(t.rejection.lower)}–${pct(t.rejection.upper)}` : undefined}
        />
        <Stat label="Mean valence" value={signed(t.meanValence)} hint="−100 negative … +100 positive" />
        <Stat label="Mean dwell" value={duration(t.meanDwellMs)} />
        <Stat
          label="Hesitation"
          value={pct(t.hesitationRate)}
          hint="long stays without a positive expression"
        />
      </dl>
      <section aria-labelledby="mix-heading" className="space-y-2">
        <h2 id="mix-heading" className="text-lg font-semibold">
          Expression mix
        </h2>
        {t.mix ? (
          <ExpressionMix mix={t.mix} />
        ) : (
          <p className="text-sm text-slate-500">Hidden: fewer than {r.k} interactions in this range.</p>
        )}
        <ExpressionLegend />
        <p className="text-sm text-slate-600">
          {r.score
            ? `The worker’s rolling score over the last ${r.score.windowHours} h: ${rateWithBounds(r.score)} rejected of ${r.score.n} interactions (updated ${dateTime(r.score.computedAt, timeZone)}).`
            : "Not scored yet, or fewer than k interactions in the scoring window."}
        </p>
      </section>
      <section aria-labelledby="trend-heading" className="space-y-2">
        <h2 id="trend-heading" className="text-lg font-semibold">
          Trend per {r.bucket}
        </h2>
        {r.series.length ? (
          <ExpressionStackChart
            testId="trend-chart"
            k={r.k}
            rows={r.series.map((p) => ({
              label: r.bucket === "day" ? p.label.slice(5) : p.label.slice(5).replace("T", " "),
              n: p.n,
              counts: p.counts,
              rate: p.rejection?.rate ?? null,
            }))}
            caption={`Interactions per ${r.bucket} (store time) by dominant expression, with the rejection rate (line, right axis).`}
          />
        ) : (
          <EmptyState>No interactions with this product in this range.</EmptyState>
        )}
      </section>
      <section aria-labelledby="sales-heading" className="space-y-3">
        <h2 id="sales-heading" className="text-lg font-semibold">
          Sales against emotion
        </h2>
        {r.sales.length === 0 ? (
          <EmptyState testId="no-sales">
            No sales imported for this product in this range. Import them under “Sales import”.
          </EmptyState>
        ) : (
          <>
            <p className="text-sm text-slate-600" data-testid="sales-correlation">
              {r.salesCorrelation
                ? `Units sold and rejection rate correlate at r = ${r.salesCorrelation.r.toFixed(2)} over ${r.salesCorrelation.periods} periods (a correlation, not a cause).`
                : `Too few periods with at least ${r.k} interactions to correlate sales with rejection.`}
            </p>
            <SalesChart
              testId="sales-chart"
              points={r.sales.map((s) => ({
                label: date(s.periodStart, timeZone),
                units: s.units,
                rate: s.rejection?.rate ?? null,
              }))}
            />
            <table className={table} data-testid="sales-table">
              <caption className="sr-only">Sales periods with the emotion of the same period</caption>
              <thead className="bg-slate-100 text-slate-600">
                <tr>
                  <th scope="col" className={th}>
                    Period
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    Units
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    Revenue
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    Interactions
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    Rejection
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    Valence
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.sales.map((s) => (
                  <tr
                    key={s.periodStart.toISOString()}
                    className="border-t border-slate-100"
                    data-testid="sales-row"
                  >
                    <td className={td}>
                      {dateTime(s.periodStart, timeZone)} – {dateTime(s.periodEnd, timeZone)}
                    </td>
                    <td className={`${td} text-right tabular-nums`}>{s.units}</td>
                    <td className={`${td} text-right tabular-nums`}>{money(s.revenueMinor, s.currency)}</td>
                    <td className={`${td} text-right tabular-nums`}>{s.n}</td>
                    <td className={`${td} text-right tabular-nums`}>
                      {s.hidden ? `hidden (n < ${r.k})` : pct(s.rejection?.rate)}
                    </td>
                    <td className={`${td} text-right tabular-nums`}>{signed(s.meanValence)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </div>
  );
}
