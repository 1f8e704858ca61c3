import { shelfCodeForRequest } from "@shelf/api/survey/shelf-code-route";

/** A file of the shelf's QR code: its bytes and the headers that say what it is. */
export interface CodeFile {
  body: BodyInit;
  headers: Record<string, string>;
}

/**
 * The GET handler of a printable QR code file (`code.png`, `code.svg`) for an item's shelf: merchandisers
 * and admins of the store only, like the QR pages (anyone else gets the refusal), served inline under the
 * item's SKU, private and cached five minutes. `render` draws the signed shelf URL as the file.
 */
export function shelfCodeFileRoute(
  extension: "png" | "svg",
  render: (url: string, request: Request) => Promise<CodeFile>,
) {
  return async function GET(
    request: Request,
    { params }: { params: Promise<{ storeSlug: string; itemId: string }> },
  ): Promise<Response> {
    const { storeSlug, itemId } = await params;
    const code = await shelfCodeForRequest(request, storeSlug, itemId);
    if (code instanceof Response) return code;
    const file = await render(code.url, request);
    const name = `survey-${code.sku.replace(/[^A-Za-z0-9_-]/g, "_")}.${extension}`;
    return new Response(file.body, {
      headers: {
        ...file.headers,
        "content-disposition": `inline; filename="${name}"`,
        "x-content-type-options": "nosniff",
        "cache-control": "private, max-age=300",
      },
    });
  };
}
