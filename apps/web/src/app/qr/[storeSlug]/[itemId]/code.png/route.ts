import { qrPng } from "@shelf/survey-engine/qr";
import { shelfCodeForRequest } from "@shelf/api/survey/shelf-code-route";

export const dynamic = "force-dynamic";

/**
 * Printable QR code (PNG; `?width=` pixels, 64–4096, default 600) for an item's shelf: merchandisers and
 * admins of the store only, like the QR pages.
 */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ storeSlug: string; itemId: string }> },
) {
  const { storeSlug, itemId } = await params;
  const code = await shelfCodeForRequest(request, storeSlug, itemId);
  if (code instanceof Response) return code;
  const width = Number(new URL(request.url).searchParams.get("width") ?? "600");
  const png = await qrPng(code.url, { widthPx: Number.isFinite(width) ? width : 600 });
  return new Response(new Uint8Array(png), {
    headers: {
      "content-type": "image/png",
      "content-disposition": `inline; filename="survey-${code.sku.replace(/[^A-Za-z0-9_-]/g, "_")}.png"`,
      "x-content-type-options": "nosniff",
      "cache-control": "private, max-age=300",
    },
  });
}
