import type { Metadata } from "next";
import { PageHeader } from "~/components/page-header";
import { REPORT_ROLES } from "@shelf/api/roles";
import { requireStoreRole } from "~/server/auth/guards";
import { HydrateClient, prefetch, trpc } from "~/trpc/server";
import { SalesImport } from "./sales-import";

export const metadata: Metadata = { title: "Sales import — Shelf Sentiment" };

export default async function SalesPage({ params }: { params: Promise<{ storeSlug: string }> }) {
  const { storeSlug } = await params;
  const { store } = await requireStoreRole(storeSlug, REPORT_ROLES, `/stores/${storeSlug}/sales`);
  await prefetch(trpc.sales.overview.queryOptions({ storeSlug }));
  return (
    <section aria-labelledby="sales-heading" className="space-y-4">
      <PageHeader
        id="sales-heading"
        title="Sales import"
        description="Upload units and revenue per product and period as CSV; each product report then shows them against the facial expressions seen at its shelf over the same periods."
      />
      <HydrateClient>
        <SalesImport storeSlug={storeSlug} timeZone={store.timezone} />
      </HydrateClient>
    </section>
  );
}
