import type { Queue } from "bullmq";
import type { ScoreJob } from "@shelf/core";

/** Scoring waits this long for more interactions of the same item, ms. */
export const SCORE_DEBOUNCE_MS = 500;

/**
 * Asks for an item's rescore, debounced: a burst of interactions for one item makes one scoring job, run
 * {@link SCORE_DEBOUNCE_MS} after the last of them (BullMQ deduplication, extended and replaced per request).
 */
export function debouncedRescore(
  scoring: Pick<Queue, "add">,
): (storeId: string, itemId: string) => Promise<void> {
  return async (storeId, itemId) => {
    const job: ScoreJob = { storeId, itemId };
    await scoring.add("score", job, {
      delay: SCORE_DEBOUNCE_MS,
      deduplication: {
        id: `score_${storeId}_${itemId}`,
        ttl: SCORE_DEBOUNCE_MS,
        extend: true,
        replace: true,
      },
    });
  };
}
