import "server-only";
import { refusalResponse } from "../http/refusal.ts";
import { createContext } from "../context.ts";
import { createCaller } from "../root.ts";
import { surveyConfigFromEnv } from "./context.ts";
import { publicOrigin } from "./http.ts";
import { shelfSignUrl } from "./shelf-qr.ts";

/**
 * What the code.png / code.svg routes encode: the item's short shelf-sign URL and its SKU (for the file
 * name), for the store's merchandisers and admins (`survey.shelfSign`, the same role check as the QR pages).
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
    target = await createCaller(await createContext(request.headers)).survey.shelfSign({
      storeSlug,
      itemId,
    });
  } catch (err) {
    const refused = refusalResponse(err, { badRequestAs404: true });
    if (refused) return refused;
    throw err;
  }
  return {
    url: shelfSignUrl(publicOrigin(surveyConfigFromEnv().publicBaseUrl, request.headers), target.code),
    sku: target.item.sku,
  };
}
