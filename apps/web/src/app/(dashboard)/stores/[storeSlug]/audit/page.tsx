import type { Metadata } from "next";
import { CsvLink } from "~/components/csv-link";
import { PageHeader } from "~/components/page-header";
import { ADMIN_ROLES } from "@shelf/api/roles";
import { requireStoreRole } from "~/server/auth/guards";
import { HydrateClient, prefetch, trpc } from "~/trpc/server";
import { AuditTable } from "./audit-table";

export const metadata: Metadata = { title: "Audit log — Shelf Sentiment" };

export default async function AuditPage({ params }: { params: Promise<{ storeSlug: string }> }) {
  const { storeSlug } = await params;
  const { store } = await requireStoreRole(storeSlug, ADMIN_ROLES, `/stores/${storeSlug}/audit`);
  await prefetch(trpc.admin.auditLog.queryOptions({ storeSlug, limit: 50 }));
  return (
    <section aria-labelledby="audit-heading" className="space-y-4">
      <PageHeader
        id="audit-heading"
        title="Audit log"
        description="Every change to rules, people, cameras, calibrations, zones and imports: who, when, before and after. Never passwords, pixels or shoppers’ words."
        actions={<CsvLink report="audit" params={{ storeSlug }} />}
      />
      <HydrateClient>
        <AuditTable storeSlug={storeSlug} timeZone={store.timezone} />
      </HydrateClient>
    </section>
  );
}
