import type { Metadata } from "next";
import Link from "next/link";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { PageHeader } from "~/components/page-header";
import { link } from "~/lib/classes";
import { STAFF_ROLES } from "@shelf/api/roles";
import { requireStoreRole } from "~/server/auth/guards";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";
import { CalibrationStudio } from "~/components/calibration/calibration-studio";

export const metadata: Metadata = { title: "Calibration — Shelf Sentiment" };

export default async function CalibrationPage({
  params,
}: {
  params: Promise<{ storeSlug: string; cameraId: string }>;
}) {
  const { storeSlug, cameraId } = await params;
  const { store } = await requireStoreRole(
    storeSlug,
    STAFF_ROLES,
    `/stores/${storeSlug}/cameras/${cameraId}`,
  );
  let studio;
  try {
    studio = await getQueryClient().fetchQuery(
      trpc.cameras.calibration.queryOptions({ storeSlug, cameraId }),
    );
  } catch (err) {
    if (err instanceof TRPCError && (err.code === "NOT_FOUND" || err.code === "BAD_REQUEST")) notFound();
    throw err;
  }
  return (
    <section aria-labelledby="calibration-heading" className="space-y-4">
      <p className="text-sm">
        <Link href={`/stores/${storeSlug}/cameras`} className={link}>
          ← All cameras
        </Link>
      </p>
      <PageHeader
        id="calibration-heading"
        title={`Calibrate “${studio.camera.name}”`}
        description="Click a point on the camera image, then the same point on the floor plan (a floor-tile corner, a shelf foot, a tape mark). Four pairs fit the mapping; more pairs, spread over the floor, make it robust. Saving creates a new version that the camera’s agent switches to."
      />
      <HydrateClient>
        <CalibrationStudio storeSlug={storeSlug} cameraId={cameraId} timeZone={store.timezone} />
      </HydrateClient>
    </section>
  );
}
