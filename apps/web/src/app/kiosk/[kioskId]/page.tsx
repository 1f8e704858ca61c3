import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { db } from "@shelf/api/db";
import { authenticateKiosk } from "@shelf/api/survey/kiosk-pairing";
import { KioskScreen } from "./kiosk-screen";

export const dynamic = "force-dynamic";
export const metadata: Metadata = {
  title: "Kiosk — Shelf Sentiment",
  referrer: "no-referrer",
  robots: { index: false, follow: false },
};

/**
 * Full-screen kiosk mode for a tablet at a shelf. Idle until the kiosk's stream pushes a prompt, then
 * invites the shopper in front of it to the survey. Only the device paired with this kiosk sees it; any
 * other browser (no credential, another kiosk's, a revoked one) goes to the pairing form and learns
 * nothing about the kiosk. An address that names no kiosk at all (mistyped, or the kiosk was deleted with
 * its store) answers 404 with a page that says what to do (not-found.tsx).
 */
export default async function KioskPage({ params }: { params: Promise<{ kioskId: string }> }) {
  const { kioskId } = await params;
  const database = db();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(kioskId)) notFound();
  if ((await database.kiosk.count({ where: { id: kioskId } })) === 0) notFound();
  const paired = await authenticateKiosk(database, kioskId, (await headers()).get("cookie"));
  if (!paired) redirect("/kiosk/pair");
  const kiosk = await database.kiosk.findUniqueOrThrow({
    where: { id: paired.id },
    select: { id: true, name: true, store: { select: { name: true } }, zone: { select: { name: true } } },
  });
  return <KioskScreen kioskId={kiosk.id} storeName={kiosk.store.name} servesZone={kiosk.zone !== null} />;
}
