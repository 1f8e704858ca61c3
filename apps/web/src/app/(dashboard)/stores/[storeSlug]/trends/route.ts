import { permanentRedirect } from "next/navigation";
import type { NextRequest } from "next/server";

/** The Traffic page used to live here: old links and bookmarks move to `/traffic` for good (HTTP 308). */
export async function GET(req: NextRequest, { params }: { params: Promise<{ storeSlug: string }> }) {
  const { storeSlug } = await params;
  permanentRedirect(`/stores/${encodeURIComponent(storeSlug)}/traffic${req.nextUrl.search}`);
}
