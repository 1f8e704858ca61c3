import type { Metadata } from "next";
import { CsvLink } from "~/components/csv-link";
import { ExpressionLegend } from "~/components/expression-mix";
import { PageHeader } from "~/components/page-header";
import { RangeFilter } from "~/components/range-filter";
import { REPORT_ROLES } from "@shelf/api/roles";
import { requireStoreRole } from "~/server/auth/guards";
import { rangeFromSearch } from "~/server/page-range";
import { HydrateClient, prefetch, trpc } from "~/trpc/server";
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
  await prefetch(trpc.reports.itemSummaries.queryOptions(input));
  return (
    <section aria-labelledby="products-heading" className="space-y-4">
      <PageHeader
        id="products-heading"
        title={`Products — ${store.name}`}
        description="Anonymous shelf visits per product, the mix of dominant expressions, and how often shoppers reject it (with its 95 % interval). Products with fewer than k visits show their count only."
        actions={
          <>
            <RangeFilter from={range.fromDay} to={range.toDay} />
            <CsvLink report="products" params={{ storeSlug, from: range.fromDay, to: range.toDay }} />
          </>
        }
      />
      <ExpressionLegend />
      <HydrateClient>
        <ProductsTable input={input} />
      </HydrateClient>
    </section>
  );
}
