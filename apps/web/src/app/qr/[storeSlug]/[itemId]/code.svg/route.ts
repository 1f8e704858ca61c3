import { qrSvg } from "@shelf/survey-engine/qr";
import { shelfCodeForRequest } from "@shelf/api/survey/shelf-code-route";

export const dynamic = "force-dynamic";

/**
 * Printable QR code (SVG, scales for any print size) for an item's shelf: merchandisers and admins of the
 * store only, like the QR pages.
 */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ storeSlug: string; itemId: string }> },
) {
  const { storeSlug, itemId } = await params;
  const code = await shelfCodeForRequest(request, storeSlug, itemId);
  if (code instanceof Response) return code;
  return new Response(await qrSvg(code.url), {
    headers: {
      "content-type": "image/svg+xml; charset=utf-8",
      "content-disposition": `inline; filename="survey-${code.sku.replace(/[^A-Za-z0-9_-]/g, "_")}.svg"`,
      // The SVG is ours and has no script; this keeps it inert even when opened directly.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
      "x-content-type-options": "nosniff",
      "cache-control": "private, max-age=300",
    },
  });
}
