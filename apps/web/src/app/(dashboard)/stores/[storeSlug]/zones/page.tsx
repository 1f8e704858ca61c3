import type { Metadata } from "next";
import { PageHeader } from "~/components/page-header";
import { STAFF_ROLES } from "@shelf/api/roles";
import { requireStoreRole } from "~/server/auth/guards";
import { HydrateClient, prefetch, trpc } from "~/trpc/server";
import { ZoneEditor } from "~/components/zone-editor/zone-editor";

export const metadata: Metadata = { title: "Zones & planogram — Shelf Sentiment" };

export default async function ZonesPage({ params }: { params: Promise<{ storeSlug: string }> }) {
  const { storeSlug } = await params;
  await requireStoreRole(storeSlug, STAFF_ROLES, `/stores/${storeSlug}/zones`);
  await prefetch(trpc.zones.list.queryOptions({ storeSlug }));
  return (
    <section aria-labelledby="zones-heading" className="space-y-4">
      <PageHeader
        id="zones-heading"
        title="Zones & planogram"
        description="Draw each shelf zone on the floor plan (where shoppers stand to look at it), mark staff-only areas (never analysed), and place products along each shelf. The camera agents reload zones on their next config check."
      />
      <HydrateClient>
        <ZoneEditor storeSlug={storeSlug} />
      </HydrateClient>
    </section>
  );
}
