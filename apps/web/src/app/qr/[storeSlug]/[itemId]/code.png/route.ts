import { qrPng } from "@shelf/survey-engine/qr";
import { shelfCodeFileRoute } from "../shelf-code-file";

export const dynamic = "force-dynamic";

/** Printable QR code (PNG; `?width=` pixels, 64–4096, default 600) for an item's shelf. */
export const GET = shelfCodeFileRoute("png", async (url, request) => {
  const width = Number(new URL(request.url).searchParams.get("width") ?? "600");
  const png = await qrPng(url, { widthPx: Number.isFinite(width) ? width : 600 });
  return { body: new Uint8Array(png), headers: { "content-type": "image/png" } };
});
