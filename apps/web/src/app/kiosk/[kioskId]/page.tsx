import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { db } from "~/server/db";
import { KioskScreen } from "./kiosk-screen";

export const dynamic = "force-dynamic";
export const metadata: Metadata = {
  title: "Kiosk — Shelf Sentiment",
  referrer: "no-referrer",
  robots: { index: false, follow: false },
};

/**
 * Full-screen kiosk mode for a tablet at a shelf. Idle until the kiosk's stream pushes a prompt, then
 * invites the shopper in front of it to the survey. Open it once on the device and leave it.
 */
export default async function KioskPage({ params }: { params: Promise<{ kioskId: string }> }) {
  const { kioskId } = await params;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(kioskId)) notFound();
  const kiosk = await db().kiosk.findUnique({
    where: { id: kioskId },
    select: { id: true, name: true, store: { select: { name: true } }, zone: { select: { name: true } } },
  });
  if (!kiosk) notFound();
  return <KioskScreen kioskId={kiosk.id} storeName={kiosk.store.name} servesZone={kiosk.zone !== null} />;
}
