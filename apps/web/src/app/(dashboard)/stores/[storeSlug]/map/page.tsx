import type { Metadata } from "next";
import { TRPCError } from "@trpc/server";
import { CsvLink } from "~/components/csv-link";
import { MetricDefinition } from "~/components/metric-definition";
import { EmptyState } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { RangeFilter } from "~/components/range-filter";
import { chooseMapLibrary } from "~/components/store-map/map-choice";
import { StoreMap } from "~/components/store-map/store-map";
import { webEnv } from "@shelf/api/env";
import { REPORT_ROLES } from "@shelf/api/roles";
import { requireStoreRole } from "~/server/auth/guards";
import { rangeFromSearch } from "~/server/page-range";
import { api, getQueryClient, HydrateClient, trpc } from "~/trpc/server";

export const metadata: Metadata = { title: "Store map — Shelf Sentiment" };

export default async function MapPage({
  params,
  searchParams,
}: {
  params: Promise<{ storeSlug: string }>;
  searchParams: Promise<{ from?: string; to?: string }>;
}) {
  const { storeSlug } = await params;
  const { store } = await requireStoreRole(storeSlug, REPORT_ROLES, `/stores/${storeSlug}/map`);
  const range = rangeFromSearch(await searchParams, store.timezone);
  const input = { storeSlug, from: range.from, to: range.to };
  const rules = await api().reports.measurement({ storeSlug });
  let hasPlan = true;
  try {
    await getQueryClient().fetchQuery(trpc.reports.storeMap.queryOptions(input));
  } catch (err) {
    if (!(err instanceof TRPCError && err.code === "NOT_FOUND")) throw err;
    hasPlan = false;
  }
  return (
    <section aria-labelledby="map-heading" className="space-y-4">
      <PageHeader
        id="map-heading"
        title="Store map"
        description="Shelf zones coloured by their negative-expression rate, and a heatmap of where faces stopped at the shelves, filtered by their dominant facial expression."
        actions={
          <>
            <RangeFilter from={range.fromDay} to={range.toDay} />
            <CsvLink report="map-zones" params={{ storeSlug, from: range.fromDay, to: range.toDay }} />
          </>
        }
      />
      <MetricDefinition rules={rules} />
      {hasPlan ? (
        <HydrateClient>
          <StoreMap input={input} library={chooseMapLibrary(webEnv())} />
        </HydrateClient>
      ) : (
        <EmptyState>
          This store has no floor plan yet. Staff draw it under “Zones &amp; planogram”.
        </EmptyState>
      )}
    </section>
  );
}
