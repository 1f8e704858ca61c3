import type { Metadata } from "next";
import { CsvLink } from "~/components/csv-link";
import { ExpressionLegend } from "~/components/expression-mix";
import { MetricDefinition } from "~/components/metric-definition";
import { PageHeader } from "~/components/page-header";
import { RangeFilter } from "~/components/range-filter";
import { REPORT_ROLES } from "@shelf/api/roles";
import { requireStoreRole } from "~/server/auth/guards";
import { rangeFromSearch } from "~/server/page-range";
import { api, HydrateClient, prefetch, trpc } from "~/trpc/server";
import { ProductsTable } from "./products-table";

export const metadata: Metadata = { title: "Products — Shelf Sentiment" };

export default async function ProductsPage({
  params,
  searchParams,
}: {
  params: Promise<{ storeSlug: string }>;
  searchParams: Promise<{ from?: string; to?: string }>;
}) {
  const { storeSlug } = await params;
  const { store } = await requireStoreRole(storeSlug, REPORT_ROLES, `/stores/${storeSlug}/products`);
  const range = rangeFromSearch(await searchParams, store.timezone);
  const input = { storeSlug, from: range.from, to: range.to };
  const [rules] = await Promise.all([
    api().reports.measurement({ storeSlug }),
    prefetch(trpc.reports.itemSummaries.queryOptions(input)),
  ]);
  return (
    <section aria-labelledby="products-heading" className="space-y-4">
      <PageHeader
        id="products-heading"
        title={`Products — ${store.name}`}
        description="Anonymous interactions per product (one tracked face at its shelf), the mix of dominant facial expressions, and the negative-expression rate with its 95 % interval. Products with fewer than k interactions show their count only."
        actions={
          <>
            <RangeFilter from={range.fromDay} to={range.toDay} />
            <CsvLink report="products" params={{ storeSlug, from: range.fromDay, to: range.toDay }} />
          </>
        }
      />
      <MetricDefinition rules={rules} />
      <ExpressionLegend />
      <HydrateClient>
        <ProductsTable input={input} />
      </HydrateClient>
    </section>
  );
}
