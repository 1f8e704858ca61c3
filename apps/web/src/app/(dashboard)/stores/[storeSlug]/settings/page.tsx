import type { Metadata } from "next";
import { PageHeader } from "~/components/page-header";
import { ADMIN_ROLES } from "@shelf/api/roles";
import { canonicalTimeZone, storeTimeZones } from "@shelf/api/time-zones";
import { requireStoreRole } from "~/server/auth/guards";
import { HydrateClient, prefetch, trpc } from "~/trpc/server";
import { SettingsForm } from "./settings-form";
import { ThresholdEditor } from "./threshold-editor";

export const metadata: Metadata = { title: "Rules — Shelf Sentiment" };

export default async function SettingsPage({ params }: { params: Promise<{ storeSlug: string }> }) {
  const { storeSlug } = await params;
  const { user, store } = await requireStoreRole(storeSlug, ADMIN_ROLES, `/stores/${storeSlug}/settings`);
  await prefetch(
    trpc.admin.settings.queryOptions({ storeSlug }),
    trpc.admin.thresholds.queryOptions({ storeSlug }),
    trpc.reports.measurement.queryOptions({ storeSlug }),
  );
  return (
    <section aria-labelledby="settings-heading" className="space-y-8">
      <PageHeader
        id="settings-heading"
        title="Rules"
        description="When a product is flagged for its negative-expression rate, how reports protect shoppers’ anonymity, how long data is kept, and how often shoppers may be asked. Every change is recorded in the audit log."
      />
      <HydrateClient>
        <ThresholdEditor storeSlug={storeSlug} superAdmin={user.isSuperAdmin} />
        <SettingsForm
          storeSlug={storeSlug}
          timeZones={storeTimeZones()}
          currentTimeZone={canonicalTimeZone(store.timezone) ?? store.timezone}
        />
      </HydrateClient>
    </section>
  );
}
