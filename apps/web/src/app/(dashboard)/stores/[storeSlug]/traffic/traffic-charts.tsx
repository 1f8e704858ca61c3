"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { ExpressionStackChart } from "~/components/charts/expression-stack-chart";
import { DailyVisitsChart } from "~/components/charts/simple-charts";
import { EmptyState } from "~/components/notice";
import { useTRPC } from "~/trpc/react";

export function TrafficCharts({ input }: { input: { storeSlug: string; from: Date; to: Date } }) {
  const trpc = useTRPC();
  const { data: hours } = useSuspenseQuery(trpc.reports.hourOfDay.queryOptions(input));
  const { data: days } = useSuspenseQuery(trpc.reports.dailyVisits.queryOptions(input));
  const total = hours.hours.reduce((s, h) => s + h.n, 0);
  if (total === 0) return <EmptyState>No interactions in this range yet.</EmptyState>;
  return (
    <div className="space-y-8">
      <section aria-labelledby="hod-heading" className="space-y-2">
        <h2 id="hod-heading" className="text-lg font-semibold">
          Hour of the day
        </h2>
        <ExpressionStackChart
          testId="hour-of-day-chart"
          k={hours.k}
          rows={hours.hours.map((h) => ({
            label: `${String(h.hour).padStart(2, "0")}h`,
            n: h.n,
            counts: h.counts,
          }))}
          caption={`${total} interactions by hour of the day (store time), stacked by dominant expression; hours with fewer than ${hours.k} interactions show their total only.`}
        />
      </section>
      <section aria-labelledby="daily-heading" className="space-y-2">
        <h2 id="daily-heading" className="text-lg font-semibold">
          Interactions per day
        </h2>
        <DailyVisitsChart
          testId="daily-chart"
          days={days.days}
          range={days.range}
          timeZone={days.store.timezone}
        />
      </section>
    </div>
  );
}
