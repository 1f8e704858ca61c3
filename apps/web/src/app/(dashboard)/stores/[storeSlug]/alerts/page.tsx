import type { Metadata } from "next";
import { ADMIN_ROLES } from "@shelf/api/roles";
import { PageHeader } from "~/components/page-header";
import { requireStoreRole } from "~/server/auth/guards";
import { HydrateClient, prefetch, trpc } from "~/trpc/server";
import { AlertSettingsForm } from "./alert-settings-form";

export const metadata: Metadata = { title: "Alerts — Shelf Sentiment" };

/** Where the store's flag alerts go: e-mail recipients and a signed webhook (admins). */
export default async function AlertsPage({ params }: { params: Promise<{ storeSlug: string }> }) {
  const { storeSlug } = await params;
  await requireStoreRole(storeSlug, ADMIN_ROLES, `/stores/${storeSlug}/alerts`);
  await prefetch(trpc.flags.alertSettings.queryOptions({ storeSlug }));
  return (
    <section aria-labelledby="alerts-heading" className="space-y-4">
      <PageHeader
        id="alerts-heading"
        title="Alerts"
        description="When the worker flags a product, it sends one alert per flag: an e-mail to these addresses and a signed POST to your webhook. Nothing is sent again for the same flag; a product flagged again later alerts again."
      />
      <HydrateClient>
        <AlertSettingsForm storeSlug={storeSlug} />
      </HydrateClient>
    </section>
  );
}
