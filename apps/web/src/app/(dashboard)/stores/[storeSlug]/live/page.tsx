import type { Metadata } from "next";
import { MetricDefinition } from "~/components/metric-definition";
import { PageHeader } from "~/components/page-header";
import { REPORT_ROLES } from "@shelf/api/roles";
import { requireStoreRole } from "~/server/auth/guards";
import { api, HydrateClient, prefetch, trpc } from "~/trpc/server";
import { LiveView } from "./live-view";

export const metadata: Metadata = { title: "Live — Shelf Sentiment" };

export default async function LivePage({ params }: { params: Promise<{ storeSlug: string }> }) {
  const { storeSlug } = await params;
  const { store } = await requireStoreRole(storeSlug, REPORT_ROLES, `/stores/${storeSlug}/live`);
  const [rules] = await Promise.all([
    api().reports.measurement({ storeSlug }),
    prefetch(trpc.live.snapshot.queryOptions({ storeSlug })),
  ]);
  return (
    <section aria-labelledby="live-heading" className="space-y-4">
      <PageHeader
        id="live-heading"
        title="Live"
        description="Facial expressions at each shelf right now and over the last minutes, and products as they are flagged or cleared. Updates as the workers see faces; zones with fewer than k interactions show counts only."
      />
      <MetricDefinition rules={rules} />
      <HydrateClient>
        <LiveView storeSlug={storeSlug} timeZone={store.timezone} />
      </HydrateClient>
    </section>
  );
}
