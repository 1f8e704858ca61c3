import type { Metadata } from "next";
import { CsvLink } from "~/components/csv-link";
import { PageHeader } from "~/components/page-header";
import { RangeFilter } from "~/components/range-filter";
import { REPORT_ROLES } from "@shelf/api/roles";
import { requireStoreRole } from "~/server/auth/guards";
import { rangeFromSearch } from "~/server/page-range";
import { HydrateClient, prefetch, trpc } from "~/trpc/server";
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
  const { store } = await requireStoreRole(storeSlug, REPORT_ROLES, `/stores/${storeSlug}/trends`);
  const range = rangeFromSearch(await searchParams, store.timezone);
  const input = { storeSlug, from: range.from, to: range.to };
  await prefetch(trpc.reports.hourOfDay.queryOptions(input), trpc.reports.dailyVisits.queryOptions(input));
  const csv = { storeSlug, from: range.fromDay, to: range.toDay };
  return (
    <section aria-labelledby="traffic-heading" className="space-y-4">
      <PageHeader
        id="traffic-heading"
        title="Traffic"
        description="When shoppers stop at the shelves, and how they feel then: hours of the day stacked by dominant expression, and shelf visits per day (one shopper stopping at two shelves counts twice)."
        actions={
          <>
            <RangeFilter from={range.fromDay} to={range.toDay} />
            <CsvLink report="hour-of-day" params={csv} label="Hours CSV" />
            <CsvLink report="daily-visits" params={csv} label="Days CSV" />
          </>
        }
      />
      <HydrateClient>
        <TrafficCharts input={input} />
      </HydrateClient>
    </section>
  );
}
