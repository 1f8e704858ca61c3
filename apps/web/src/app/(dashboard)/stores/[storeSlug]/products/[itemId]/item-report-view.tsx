"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { ExpressionStackChart } from "~/components/charts/expression-stack-chart";
import { SalesChart } from "~/components/charts/simple-charts";
import { ExpressionLegend, ExpressionMix } from "~/components/expression-mix";
import { EmptyState } from "~/components/notice";
import { Stat } from "~/components/stat";
import { scrollTableClass, TableScroll } from "~/components/ui/table-scroll";
import { td, th } from "~/lib/classes";
import { date, dateTime, duration, money, pct, rateWithBounds, signed } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

/**
 * What the report says about sales and the negative-expression rate: r only over enough overlapping periods (see the API's
 * `correlationOf`), always with how many and that a correlation is not a cause.
 */
function correlationSentence(
  c: { r: number | null; periods: number; needed: number },
  bucket: "hour" | "day",
  k: number,
): string {
  if (c.r === null && c.periods < c.needed)
    return `No correlation shown: not enough overlapping periods (${c.periods} of ${c.needed} ${bucket}s with sales and at least ${k} interactions).`;
  if (c.r === null)
    return `No correlation over ${c.periods} ${bucket}s: units sold or the negative-expression rate did not change.`;
  return `Units sold and the negative-expression rate correlate at r = ${c.r.toFixed(2)} over n = ${c.periods} ${bucket}s. Correlation is not causation: both may follow something else (season, price, footfall).`;
}

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
          label="Negative-expression rate"
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
            ? `The worker’s rolling score over the last ${r.score.windowHours} h: ${rateWithBounds(r.score)} of ${r.score.n} interactions showed a negative expression (updated ${dateTime(r.score.computedAt, timeZone)}).`
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
            time={{ from: r.range.from.getTime(), to: r.range.to.getTime(), bucket: r.bucket, timeZone }}
            rows={r.series.map((p) => ({
              label: r.bucket === "day" ? p.label.slice(5) : p.label.slice(5).replace("T", " "),
              start: p.start,
              n: p.n,
              counts: p.counts,
              rate: p.rejection?.rate ?? null,
            }))}
            caption={`Interactions per ${r.bucket} (store time) by dominant expression, with the negative-expression rate (line, right axis).`}
          />
        ) : (
          <EmptyState>No interactions with this product in this range.</EmptyState>
        )}
      </section>
      <section aria-labelledby="sales-heading" className="space-y-3">
        <h2 id="sales-heading" className="text-lg font-semibold">
          Sales against expressions
        </h2>
        {r.sales.length === 0 ? (
          <EmptyState testId="no-sales">
            No sales imported for this product in this range. Import them under “Sales import”.
          </EmptyState>
        ) : (
          <>
            <p className="text-sm text-slate-600" data-testid="sales-correlation">
              {correlationSentence(r.salesCorrelation, r.salesBucket, r.k)}
              {r.salesBucket !== r.bucket ? " Sales were imported per day, so they are shown per day." : ""}
              {r.salesLeftOut
                ? ` ${r.salesLeftOut} imported period${r.salesLeftOut === 1 ? " is" : "s are"} longer than a ${r.salesBucket} and left out.`
                : ""}
            </p>
            <SalesChart
              testId="sales-chart"
              time={{
                from: r.range.from.getTime(),
                to: r.range.to.getTime(),
                bucket: r.salesBucket,
                timeZone,
              }}
              points={r.sales.map((s) => ({
                start: s.periodStart,
                units: s.units,
                rate: s.rejection?.rate ?? null,
              }))}
            />
            <TableScroll label="Sales periods">
              <table className={scrollTableClass} data-testid="sales-table">
                <caption className="sr-only">
                  Sales periods with the facial expressions of the same period
                </caption>
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
                      Negative-expression rate
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
                        {r.salesBucket === "day"
                          ? date(s.periodStart, timeZone)
                          : `${dateTime(s.periodStart, timeZone)} – ${dateTime(s.periodEnd, timeZone)}`}
                      </td>
                      <td className={`${td} text-right tabular-nums`}>{s.units}</td>
                      <td className={`${td} text-right tabular-nums`}>
                        {s.revenueMinor === null ? "mixed currencies" : money(s.revenueMinor, s.currency)}
                      </td>
                      <td className={`${td} text-right tabular-nums`}>{s.n}</td>
                      <td className={`${td} text-right tabular-nums`}>
                        {s.hidden ? `hidden (n < ${r.k})` : pct(s.rejection?.rate)}
                      </td>
                      <td className={`${td} text-right tabular-nums`}>{signed(s.meanValence)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </>
        )}
      </section>
    </div>
  );
}
