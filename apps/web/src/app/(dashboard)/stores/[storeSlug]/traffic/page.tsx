import type { Metadata } from "next";
import { CsvLink } from "~/components/csv-link";
import { MetricDefinition } from "~/components/metric-definition";
import { PageHeader } from "~/components/page-header";
import { RangeFilter } from "~/components/range-filter";
import { REPORT_ROLES } from "@shelf/api/roles";
import { requireStoreRole } from "~/server/auth/guards";
import { rangeFromSearch } from "~/server/page-range";
import { api, HydrateClient, prefetch, trpc } from "~/trpc/server";
import { TrafficCharts } from "./traffic-charts";

export const metadata: Metadata = { title: "Traffic — Shelf Sentiment" };

export default async function TrafficPage({
  params,
  searchParams,
}: {
  params: Promise<{ storeSlug: string }>;
  searchParams: Promise<{ from?: string; to?: string }>;
}) {
  const { storeSlug } = await params;
  const { store } = await requireStoreRole(storeSlug, REPORT_ROLES, `/stores/${storeSlug}/traffic`);
  const range = rangeFromSearch(await searchParams, store.timezone);
  const input = { storeSlug, from: range.from, to: range.to };
  const [rules] = await Promise.all([
    api().reports.measurement({ storeSlug }),
    prefetch(trpc.reports.hourOfDay.queryOptions(input), trpc.reports.dailyVisits.queryOptions(input)),
  ]);
  const csv = { storeSlug, from: range.fromDay, to: range.toDay };
  return (
    <section aria-labelledby="traffic-heading" className="space-y-4">
      <PageHeader
        id="traffic-heading"
        title="Traffic"
        description="When faces stop at the shelves, and which facial expressions they show: hours of the day stacked by dominant expression, and interactions per day (one shopper stopping at two shelves counts twice)."
        actions={
          <>
            <RangeFilter from={range.fromDay} to={range.toDay} />
            <CsvLink report="hour-of-day" params={csv} label="Hours CSV" />
            <CsvLink report="daily-visits" params={csv} label="Days CSV" />
          </>
        }
      />
      <MetricDefinition rules={rules} />
      <HydrateClient>
        <TrafficCharts input={input} />
      </HydrateClient>
    </section>
  );
}
