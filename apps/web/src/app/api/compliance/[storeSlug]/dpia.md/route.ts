import { createContext } from "@shelf/api/context";
import { refusalResponse } from "@shelf/api/http/refusal";
import { createCaller } from "@shelf/api/root";
import { surveyConfigFromEnv } from "@shelf/api/survey/context";
import { publicOrigin } from "@shelf/api/survey/http";

export const dynamic = "force-dynamic";

/**
 * GET /api/compliance/<store>/dpia.md — the store's records-of-processing / DPIA starter as a Markdown
 * download (admins; the same procedure and role check as everywhere: `compliance.dpia`).
 */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ storeSlug: string }> },
): Promise<Response> {
  const { storeSlug } = await params;
  const api = createCaller(await createContext(request.headers));
  try {
    const { markdown, filename } = await api.compliance.dpia({
      storeSlug,
      publicOrigin: publicOrigin(surveyConfigFromEnv().publicBaseUrl, request.headers),
    });
    return new Response(markdown, {
      headers: {
        "content-type": "text/markdown; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
      },
    });
  } catch (err) {
    const refused = refusalResponse(err);
    if (refused) return refused;
    throw err;
  }
}
