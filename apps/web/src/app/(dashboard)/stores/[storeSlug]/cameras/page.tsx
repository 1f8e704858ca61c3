import type { Metadata } from "next";
import { PageHeader } from "~/components/page-header";
import { STAFF_ROLES } from "@shelf/api/roles";
import { requireStoreRole } from "~/server/auth/guards";
import { HydrateClient, prefetch, trpc } from "~/trpc/server";
import { CameraManager } from "./camera-manager";

export const metadata: Metadata = { title: "Cameras — Shelf Sentiment" };

export default async function CamerasPage({ params }: { params: Promise<{ storeSlug: string }> }) {
  const { storeSlug } = await params;
  const { store, role } = await requireStoreRole(storeSlug, STAFF_ROLES, `/stores/${storeSlug}/cameras`);
  await prefetch(trpc.cameras.list.queryOptions({ storeSlug }));
  // Admins also see the source allowlist (a suspense query: rendered on the server, so fetched here first).
  if (role === "admin") await prefetch(trpc.cameras.sourcePolicy.queryOptions({ storeSlug }));
  return (
    <section aria-labelledby="cameras-heading" className="space-y-4">
      <PageHeader
        id="cameras-heading"
        title="Cameras"
        description="The store’s cameras and how each one maps onto the floor plan. The camera agent picks up new cameras and calibrations on its next config check."
      />
      <HydrateClient>
        <CameraManager storeSlug={storeSlug} timeZone={store.timezone} />
      </HydrateClient>
    </section>
  );
}
