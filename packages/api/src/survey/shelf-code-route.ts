import "server-only";
import { TRPCError } from "@trpc/server";
import { createContext } from "../context.ts";
import { createCaller } from "../root.ts";
import { surveyConfigFromEnv } from "./context.ts";
import { publicOrigin } from "./http.ts";
import { shelfSurveyUrl } from "./shelf-qr.ts";

const STATUS: Partial<Record<TRPCError["code"], number>> = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_REQUEST: 404,
};

/**
 * What the code.png / code.svg routes encode: the item's signed shelf URL and its SKU (for the file name),
 * for the store's merchandisers and admins (`survey.shelfCodeTarget`, the same role check as the QR pages).
 * Anyone else gets the refusal as a plain-text Response: 401 signed out, 403 without the role, 404 for an
 * unknown item (or store, to super admins).
 */
export async function shelfCodeForRequest(
  request: Request,
  storeSlug: string,
  itemId: string,
): Promise<{ url: string; sku: string } | Response> {
  let target;
  try {
    target = await createCaller(await createContext(request.headers)).survey.shelfCodeTarget({
      storeSlug,
      itemId,
    });
  } catch (err) {
    if (err instanceof TRPCError && STATUS[err.code])
      return new Response(err.code === "BAD_REQUEST" ? "not found" : err.message, {
        status: STATUS[err.code],
        headers: { "cache-control": "no-store" },
      });
    throw err;
  }
  const config = surveyConfigFromEnv();
  return {
    url: shelfSurveyUrl(
      publicOrigin(config.publicBaseUrl, request.headers),
      target.store.id,
      target.item.id,
      config.secret,
    ),
    sku: target.item.sku,
  };
}
