import { qrPng } from "@shelf/survey-engine/qr";
import { db } from "~/server/db";
import { surveyConfigFromEnv } from "~/server/survey/context";
import { publicOrigin } from "~/server/survey/http";
import { loadShelfTarget, shelfSurveyUrl } from "~/server/survey/shelf-qr";

export const dynamic = "force-dynamic";

/** Printable QR code (PNG; `?width=` pixels, 64–4096, default 600) for an item's shelf. */
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
  const width = Number(new URL(request.url).searchParams.get("width") ?? "600");
  const png = await qrPng(url, { widthPx: Number.isFinite(width) ? width : 600 });
  return new Response(new Uint8Array(png), {
    headers: {
      "content-type": "image/png",
      "content-disposition": `inline; filename="survey-${target.item.sku.replace(/[^A-Za-z0-9_-]/g, "_")}.png"`,
      "x-content-type-options": "nosniff",
      "cache-control": "private, max-age=300",
    },
  });
}
