import type { Logger } from "pino";
import type { TrackEvent } from "@shelf/core";
import { deleteExpiredData, type Db } from "@shelf/db";
import type { SamplesStore } from "../samples-store.ts";
import type { VisitBook } from "../visit-book.ts";
import { abandonedEnd } from "./visits.ts";

/** Retention: deletes each store's interactions and survey responses older than its retention. */
export async function runRetention(deps: {
  db: Db;
  logger: Logger;
}): Promise<{ stores: number; deleted: number }> {
  const results = await deleteExpiredData(deps.db);
  const deleted = results.filter((r) => r.interactions || r.surveyResponses);
  if (deleted.length) deps.logger.info({ deleted }, "retention: expired interactions and responses deleted");
  return { stores: results.length, deleted: deleted.length };
}

export interface SweepDeps {
  visits: Pick<VisitBook, "silentSince" | "forget">;
  samples: Pick<SamplesStore, "all">;
  /** Queues a visit end under the agent's own job id (a late real end then lands on the same job). */
  queueEnd(event: Extract<TrackEvent, { type: "end" }>): Promise<void>;
  /** Removes whatever crop jobs a producer's options left behind in the completed and failed sets. */
  purgeFinishedCrops(): Promise<number>;
  logger: Logger;
  /** A visit with no start, crop or end for this long is taken as abandoned, ms. */
  silentMs: number;
}

/**
 * Housekeeping every few seconds: visits whose agent went silent get an end queued for them (finalised from
 * the samples they have, and counted), and no finished crop job is left in Redis.
 */
export async function sweep(
  deps: SweepDeps,
  now = Date.now(),
): Promise<{ abandoned: number; purged: number }> {
  const silent = await deps.visits.silentSince(now - deps.silentMs);
  for (const open of silent) {
    await deps.queueEnd(abandonedEnd(open, await deps.samples.all(open.context)));
    await deps.visits.forget(open.context);
  }
  const purged = await deps.purgeFinishedCrops();
  if (purged > 0) deps.logger.warn({ purged }, "finished crop jobs found in Redis and removed");
  return { abandoned: silent.length, purged };
}
