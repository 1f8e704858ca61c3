import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { storeTimeZones } from "@shelf/api/time-zones";
import { PageHeader } from "~/components/page-header";
import { requireUser } from "~/server/auth/guards";
import { HydrateClient, prefetch, trpc } from "~/trpc/server";
import { PlatformAdmin } from "./platform-admin";

export const metadata: Metadata = { title: "All stores & people — Shelf Sentiment" };

export default async function PlatformPage() {
  const user = await requireUser("/admin");
  if (!user.isSuperAdmin) forbidden();
  await prefetch(trpc.platform.stores.queryOptions(), trpc.platform.users.queryOptions());
  return (
    <section aria-labelledby="platform-heading" className="space-y-6">
      <PageHeader
        id="platform-heading"
        title="All stores & people"
        description="Super admins open stores, create accounts and grant super admin. Store admins manage their own store’s people."
      />
      <HydrateClient>
        <PlatformAdmin selfId={user.id} timeZones={storeTimeZones()} />
      </HydrateClient>
    </section>
  );
}
