/**
 * Rejection scoring, shared by the worker (after each interaction) and the web app (after an admin changes
 * the rules a score is computed with).
 */
import { createOpenFlag } from "./flags.ts";
import type { PrismaClient as Db, Threshold } from "./generated/prisma/client.ts";
import {
  DEFAULT_MIN_SAMPLE,
  DEFAULT_NEGATIVE_SET,
  flagRuleOf,
  nextFlagState,
  resolveThreshold,
  wilsonInterval,
  ZExpression,
  type Expression,
} from "@shelf/core";

const HOUR_MS = 3_600_000;

export interface ScoringSettings {
  /** Rolling window, hours. */
  windowHours: number;
  minSample: number;
  negative: Expression[];
  includeHesitation: boolean;
}

/** Product defaults when a store has no settings row. */
export const DEFAULT_SCORING: ScoringSettings = {
  windowHours: 168,
  minSample: DEFAULT_MIN_SAMPLE,
  negative: [...DEFAULT_NEGATIVE_SET],
  includeHesitation: false,
};

/** A store's scoring rules (admin settings) over the product defaults; unknown expression names are ignored. */
export async function scoringSettings(db: Db, storeId: string): Promise<ScoringSettings> {
  const s = await db.storeSettings.findUnique({ where: { storeId } });
  if (!s) return DEFAULT_SCORING;
  return {
    windowHours: s.scoreWindowHours,
    minSample: s.minSample,
    negative: s.negativeExpressions.flatMap((e) => {
      const parsed = ZExpression.safeParse(e);
      return parsed.success ? [parsed.data] : [];
    }),
    includeHesitation: s.includeHesitation,
  };
}

/** What every item of a store is scored with: its settings and the thresholds that may apply to it. */
interface StoreScoringRules {
  settings: ScoringSettings;
  thresholds: Threshold[];
}

async function storeScoringRules(db: Db, storeId: string): Promise<StoreScoringRules> {
  const [settings, thresholds] = await Promise.all([
    scoringSettings(db, storeId),
    db.threshold.findMany({ where: { OR: [{ storeId }, { storeId: null }] } }),
  ]);
  return { settings, thresholds };
}

export interface ScoreOutcome {
  n: number;
  negatives: number;
  rate: number;
  lower: number;
  upper: number;
  flagged: boolean;
  /** The threshold that applied (null when no rule applies). */
  threshold: number | null;
  /** "raised" / "cleared" when the flag changed, else null. */
  change: "raised" | "cleared" | null;
  flagId: string | null;
}

/**
 * Recomputes one item's rejection score in one store over the rolling window, from the hourly rollups:
 * negatives = interactions whose dominant expression is in the store's negative set, plus (when enabled)
 * hesitations among the others. Raises or clears the item's flag with hysteresis; every flag records why.
 * The window is whole hours ending now (rollups are hourly).
 */
export async function scoreItem(
  db: Db,
  storeId: string,
  itemId: string,
  now = Date.now(),
  rules?: StoreScoringRules,
): Promise<ScoreOutcome> {
  const [{ settings, thresholds }, item] = await Promise.all([
    rules ?? storeScoringRules(db, storeId),
    db.item.findUniqueOrThrow({ where: { id: itemId } }),
  ]);
  const { windowHours, includeHesitation } = settings;
  const negativeSet = new Set<string>(settings.negative);
  const windowEnd = new Date(Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS);
  const windowStart = new Date(windowEnd.getTime() - windowHours * HOUR_MS);

  const groups = await db.hourlyRollup.groupBy({
    by: ["expression"],
    where: { storeId, itemId, hour: { gte: windowStart, lt: windowEnd } },
    _sum: { count: true, hesitationCount: true },
  });
  let n = 0;
  let negatives = 0;
  for (const g of groups) {
    const count = g._sum.count ?? 0;
    n += count;
    if (negativeSet.has(g.expression)) negatives += count;
    else if (includeHesitation) negatives += g._sum.hesitationCount ?? 0;
  }
  const { rate, lower, upper } = wilsonInterval(negatives, n);

  const resolved = resolveThreshold({ itemId, category: item.category, storeId }, thresholds);

  return db.$transaction(async (tx): Promise<ScoreOutcome> => {
    await tx.rejectionScore.upsert({
      where: { storeId_itemId: { storeId, itemId } },
      create: { storeId, itemId, windowStart, windowEnd, n, negatives, rate, lower, upper },
      update: { windowStart, windowEnd, n, negatives, rate, lower, upper, computedAt: new Date(now) },
    });
    const open = await tx.flag.findFirst({
      where: { storeId, itemId, clearedAt: null },
      orderBy: { raisedAt: "desc" },
    });
    const stats = { n, negatives, rate, lower, upper };
    if (!resolved)
      return { ...stats, threshold: null, flagged: !!open, change: null, flagId: open?.id ?? null };
    const { rule, level } = resolved;
    const threshold = rule.threshold;
    const next = nextFlagState({ flagged: !!open }, { negatives, n }, flagRuleOf(rule, settings.minSample));
    if (!next.changed)
      return { ...stats, threshold, flagged: next.flagged, change: null, flagId: open?.id ?? null };
    if (next.flagged) {
      // The web app (re-deciding after a threshold change) may have raised it since we looked: then it is
      // already flagged, and raising is that writer's event to report.
      const { flag, created } = await createOpenFlag(tx, {
        storeId,
        itemId,
        ...stats,
        threshold,
        thresholdLevel: level,
        windowHours,
      });
      return { ...stats, threshold, flagged: true, change: created ? "raised" : null, flagId: flag.id };
    }
    await tx.flag.update({ where: { id: open!.id }, data: { clearedAt: new Date(now) } });
    return { ...stats, threshold, flagged: false, change: "cleared", flagId: open!.id };
  });
}

/**
 * Rescores every item of a store that has a score or rollups, under the store's current rules. Run when an
 * admin changes what a score is computed from (negative set, window, hesitation rule), so reports and flags
 * follow at once instead of on each item's next interaction.
 *
 * @returns each rescored item's outcome, in item id order.
 */
export async function rescoreStore(
  db: Db,
  storeId: string,
  now = Date.now(),
): Promise<(ScoreOutcome & { itemId: string })[]> {
  const [scored, rolled] = await Promise.all([
    db.rejectionScore.findMany({ where: { storeId }, select: { itemId: true } }),
    db.hourlyRollup.findMany({
      where: { storeId, itemId: { not: null } },
      select: { itemId: true },
      distinct: ["itemId"],
    }),
  ]);
  const itemIds = [...new Set([...scored, ...rolled].map((r) => r.itemId!))].sort();
  const rules = await storeScoringRules(db, storeId); // read once, not once per item
  const out: (ScoreOutcome & { itemId: string })[] = [];
  // One item at a time: each is its own short transaction, as the worker does it.
  for (const itemId of itemIds) out.push({ itemId, ...(await scoreItem(db, storeId, itemId, now, rules)) });
  return out;
}
