import type { Logger } from "pino";
import { invalidJobReason, ZScoreJob } from "@shelf/core";
import { scoreItem, type Db, type ScoreOutcome } from "@shelf/db";
import type { LivePublisher } from "../live.ts";
import { JobRejected } from "./rejected.ts";

export interface ScoringDeps {
  db: Db;
  live: Pick<LivePublisher, "publish">;
  logger: Logger;
  /** Hands a raised flag to the survey engine (idempotent per flag). */
  flagRaised(job: { storeId: string; itemId: string; flagId: string }): Promise<void>;
  scored(storeId: string, itemId: string, outcome: ScoreOutcome): void;
}

/** Recomputes one item's rejection score; raises or clears its flag, and hands a raised flag on. */
export async function processScore(deps: ScoringDeps, data: unknown): Promise<ScoreOutcome> {
  const parsed = ZScoreJob.safeParse(data);
  if (!parsed.success) throw new JobRejected(invalidJobReason("scoring job", parsed.error), "invalid");
  const { storeId, itemId } = parsed.data;
  const outcome = await scoreItem(deps.db, storeId, itemId);
  if (outcome.change) {
    deps.logger.info({ storeId, itemId, ...outcome }, `flag ${outcome.change}`);
    await deps.live.publish({
      kind: "flag",
      storeId,
      itemId,
      flagId: outcome.flagId!,
      state: outcome.change,
      at: Date.now(),
      lower: outcome.lower,
      threshold: outcome.threshold!,
    });
    if (outcome.change === "raised") await deps.flagRaised({ storeId, itemId, flagId: outcome.flagId! });
  }
  deps.scored(storeId, itemId, outcome);
  return outcome;
}
