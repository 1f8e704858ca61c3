import type { Db } from "@shelf/db";
import { SURVEY_RATE_LIMITS, type RateLimitResult, type SurveyRateScope } from "@shelf/survey-engine";
import { writeAudit } from "../audit.ts";
import { logger } from "../logger.ts";

/**
 * The anomaly alert of a printed code: the first hit past a per-code limit in a window writes one audit
 * entry (the store's admins see it in the audit log) and one log line; later hits in the same window add
 * nothing, so a flood cannot flood the audit log too. Who scanned is not recorded (no address is kept).
 */
export async function alertCodeFlood(
  db: Db,
  target: { storeId: string; itemId: string },
  scope: SurveyRateScope,
  limit: RateLimitResult,
): Promise<void> {
  if (limit.allowed || limit.count !== limit.limit + 1) return;
  const rule = { limit: limit.limit, windowMs: SURVEY_RATE_LIMITS[scope].windowMs };
  logger().warn(
    { storeId: target.storeId, itemId: target.itemId, scope, limit: rule.limit, windowMs: rule.windowMs },
    "survey: a printed shelf code passed its limit (possible flood)",
  );
  try {
    await writeAudit(db, {
      storeId: target.storeId,
      userId: null,
      action: "survey.code-limit",
      entity: "Item",
      entityId: target.itemId,
      after: {
        scope,
        limit: rule.limit,
        windowMs: rule.windowMs,
        windowEndsAt: new Date(limit.resetAt).toISOString(),
      },
    });
  } catch (err) {
    logger().error(
      { err: err instanceof Error ? err.message : String(err) },
      "survey: could not audit a code flood",
    );
  }
}
