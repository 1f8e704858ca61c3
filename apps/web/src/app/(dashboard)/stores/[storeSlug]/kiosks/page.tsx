import type { Metadata } from "next";
import { headers } from "next/headers";
import { surveyConfigFromEnv } from "@shelf/api/survey/context";
import { publicOrigin } from "@shelf/api/survey/http";
import { PageHeader } from "~/components/page-header";
import { ADMIN_ROLES } from "@shelf/api/roles";
import { requireStoreRole } from "~/server/auth/guards";
import { HydrateClient, prefetch, trpc } from "~/trpc/server";
import { KioskManager } from "./kiosk-manager";

export const metadata: Metadata = { title: "Kiosks — Shelf Sentiment" };

export default async function KiosksPage({ params }: { params: Promise<{ storeSlug: string }> }) {
  const { storeSlug } = await params;
  await requireStoreRole(storeSlug, ADMIN_ROLES, `/stores/${storeSlug}/kiosks`);
  const pairUrl = `${publicOrigin(surveyConfigFromEnv().publicBaseUrl, await headers())}/kiosk/pair`;
  await Promise.all([
    prefetch(trpc.kiosks.list.queryOptions({ storeSlug })),
    prefetch(trpc.zones.list.queryOptions({ storeSlug })),
  ]);
  return (
    <section aria-labelledby="kiosks-heading" className="space-y-4">
      <PageHeader
        id="kiosks-heading"
        title="Kiosks"
        description="Tablets that invite shoppers at a shelf to the survey. Create a kiosk, then open the pairing page on the tablet and type the one-time code (it works once, for 15 minutes). Revoke a kiosk when its tablet is lost or retired."
      />
      <HydrateClient>
        <KioskManager storeSlug={storeSlug} pairUrl={pairUrl} />
      </HydrateClient>
    </section>
  );
}
