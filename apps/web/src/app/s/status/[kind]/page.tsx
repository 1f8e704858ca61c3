import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { STATUS_KINDS, StatusView, type StatusKind } from "../../_components/status-view";
import { safeKioskId } from "../../_components/survey-shell";

export const metadata: Metadata = {
  title: "Survey — Shelf Sentiment",
  referrer: "no-referrer",
  robots: { index: false, follow: false },
};

export default async function SurveyStatusPage({
  params,
  searchParams,
}: {
  params: Promise<{ kind: string }>;
  searchParams: Promise<{ kiosk?: string | string[] }>;
}) {
  const { kind } = await params;
  if (!(STATUS_KINDS as readonly string[]).includes(kind)) notFound();
  return <StatusView kind={kind as StatusKind} kioskId={safeKioskId((await searchParams).kiosk)} />;
}
