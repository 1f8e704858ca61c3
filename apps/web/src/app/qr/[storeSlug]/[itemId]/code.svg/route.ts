import { qrSvg } from "@shelf/survey-engine/qr";
import { shelfCodeFileRoute } from "../shelf-code-file";

export const dynamic = "force-dynamic";

/** Printable QR code (SVG, scales for any print size) for an item's shelf. */
export const GET = shelfCodeFileRoute("svg", async (url) => ({
  body: await qrSvg(url),
  headers: {
    "content-type": "image/svg+xml; charset=utf-8",
    // The SVG is ours and has no script; this keeps it inert even when opened directly.
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
  },
}));
