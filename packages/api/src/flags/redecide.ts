import { flagRuleOf, nextFlagState, resolveThreshold } from "@shelf/core";
import { createOpenFlag, type Db } from "@shelf/db";
import { storeRules } from "../reports/rules.ts";

export interface FlagChange {
  flagId: string;
  itemId: string;
  state: "raised" | "cleared";
  lower: number;
  threshold: number;
  at: Date;
}

/**
 * Re-decides every scored item's flag in a store under the current thresholds and minimum sample, from the
 * worker's latest rejection scores (RejectionScore: n and negatives over its window), with the same state
 * machine and hysteresis as the worker (`nextFlagState`). Run after an admin changes a threshold or the
 * minimum sample, so the flag list follows at once instead of on each item's next interaction. Scores
 * themselves (window, negative set) are the worker's: changing those takes effect as it rescores.
 *
 * @returns the flags raised and cleared.
 */
export async function redecideFlags(db: Db, storeId: string, now = new Date()): Promise<FlagChange[]> {
  const rules = await storeRules(db, storeId);
  const [scores, thresholds] = await Promise.all([
    db.rejectionScore.findMany({ where: { storeId }, include: { item: { select: { category: true } } } }),
    db.threshold.findMany({ where: { OR: [{ storeId }, { storeId: null }] }, orderBy: { updatedAt: "asc" } }),
  ]);
  return db.$transaction(async (tx) => {
    const open = await tx.flag.findMany({
      where: { storeId, clearedAt: null },
      orderBy: { raisedAt: "desc" },
    });
    const openByItem = new Map<string, (typeof open)[number]>();
    for (const f of open) if (!openByItem.has(f.itemId)) openByItem.set(f.itemId, f);
    const changes: FlagChange[] = [];
    for (const score of scores) {
      const resolved = resolveThreshold(
        { itemId: score.itemId, category: score.item.category, storeId },
        thresholds,
      );
      if (!resolved) continue;
      const flag = openByItem.get(score.itemId);
      const rule = resolved.rule;
      const next = nextFlagState(
        { flagged: !!flag },
        { negatives: score.negatives, n: score.n },
        flagRuleOf(rule, rules.minSample),
      );
      if (!next.changed) continue;
      if (next.flagged) {
        // A worker scoring the item may have raised it since we looked: then it is already flagged, and the
        // raise is the worker's to report.
        const { flag: raised, created } = await createOpenFlag(tx, {
          storeId,
          itemId: score.itemId,
          raisedAt: now,
          rate: score.rate,
          lower: score.lower,
          upper: score.upper,
          n: score.n,
          negatives: score.negatives,
          threshold: rule.threshold,
          thresholdLevel: resolved.level,
          windowHours: Math.round((score.windowEnd.getTime() - score.windowStart.getTime()) / 3_600_000),
        });
        if (!created) continue;
        changes.push({
          flagId: raised.id,
          itemId: score.itemId,
          state: "raised",
          lower: score.lower,
          threshold: rule.threshold,
          at: now,
        });
      } else {
        await tx.flag.update({ where: { id: flag!.id }, data: { clearedAt: now } });
        changes.push({
          flagId: flag!.id,
          itemId: score.itemId,
          state: "cleared",
          lower: score.lower,
          threshold: rule.threshold,
          at: now,
        });
      }
    }
    return changes;
  });
}
