import { qrSvg } from "@shelf/survey-engine/qr";
import { db } from "~/server/db";
import { surveyConfigFromEnv } from "~/server/survey/context";
import { publicOrigin } from "~/server/survey/http";
import { loadShelfTarget, shelfSurveyUrl } from "~/server/survey/shelf-qr";

export const dynamic = "force-dynamic";

/** Printable QR code (SVG, scales for any print size) for an item's shelf. */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ storeSlug: string; itemId: string }> },
) {
  const { storeSlug, itemId } = await params;
  const target = await loadShelfTarget(db(), storeSlug, itemId);
  if (!target) return new Response("not found", { status: 404 });
  const config = surveyConfigFromEnv();
  const url = shelfSurveyUrl(
    publicOrigin(config.publicBaseUrl, request.headers),
    target.store.id,
    target.item.id,
    config.secret,
  );
  return new Response(await qrSvg(url), {
    headers: {
      "content-type": "image/svg+xml; charset=utf-8",
      "content-disposition": `inline; filename="survey-${target.item.sku.replace(/[^A-Za-z0-9_-]/g, "_")}.svg"`,
      // The SVG is ours and has no script; this keeps it inert even when opened directly.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
      "x-content-type-options": "nosniff",
      "cache-control": "private, max-age=300",
    },
  });
}
