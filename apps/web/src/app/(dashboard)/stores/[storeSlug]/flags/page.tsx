import type { Metadata } from "next";
import { CsvLink } from "~/components/csv-link";
import { MetricDefinition } from "~/components/metric-definition";
import { PageHeader } from "~/components/page-header";
import { REPORT_ROLES } from "@shelf/api/roles";
import { requireStoreRole } from "~/server/auth/guards";
import { api, HydrateClient, prefetch, trpc } from "~/trpc/server";
import { FlagList } from "./flag-list";

export const metadata: Metadata = { title: "Flagged products — Shelf Sentiment" };

export default async function FlagsPage({ params }: { params: Promise<{ storeSlug: string }> }) {
  const { storeSlug } = await params;
  const { store } = await requireStoreRole(storeSlug, REPORT_ROLES, `/stores/${storeSlug}/flags`);
  const input = { storeSlug, clearedWithinDays: 30 };
  const [rules] = await Promise.all([
    api().reports.measurement({ storeSlug }),
    prefetch(trpc.flags.list.queryOptions(input)),
  ]);
  return (
    <section aria-labelledby="flags-heading" className="space-y-4">
      <PageHeader
        id="flags-heading"
        title="Flagged products"
        description="Products whose negative-expression rate is confidently high: the lower bound of its 95 % interval is above the threshold that applies (product, category or store rule), over a window with enough interactions. Most certain first."
        actions={<CsvLink report="flags" params={{ storeSlug }} />}
      />
      <MetricDefinition rules={rules} />
      <HydrateClient>
        <FlagList input={input} timeZone={store.timezone} />
      </HydrateClient>
    </section>
  );
}
