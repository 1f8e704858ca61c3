import { signShelfCode } from "@shelf/survey-engine";

/** The URL a printed QR code holds: `<origin>/s/q/<signed shelf code>` (never a single-use token). */
export function shelfSurveyUrl(origin: string, storeId: string, itemId: string, secret: string): string {
  return `${origin}/s/q/${signShelfCode(storeId, itemId, secret)}`;
}
