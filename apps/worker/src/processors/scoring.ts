import type { Logger } from "pino";
import {
  countNegatives,
  decideFlag,
  invalidJobReason,
  wilsonInterval,
  ZRescoreJob,
  ZScoreJob,
  type ExpressionGroup,
  type FlagChange,
  type FlagVerdict,
  type RescoreResult,
  type StoreRules,
  type ThresholdKey,
  type ThresholdRule,
} from "@shelf/core";
import {
  createOpenFlag,
  itemExpressionGroups,
  openFlag,
  scoredItemIds,
  storeRules,
  storeThresholds,
  type Db,
} from "@shelf/db";
import type { LivePublisher } from "../live.ts";
import { JobRejected } from "./rejected.ts";

/**
 * Rejection scoring and the flag decision — the only place either is made. An item's score is the Wilson
 * interval of its negative-interaction rate (the store's negative rule over its hourly rollups) over the
 * store's window; its flag follows `decideFlag` (threshold resolution + hysteresis, `@shelf/core`). Three
 * entry points: `processScore` (one item, after its interactions land), and `processRescore` for a whole store
 * after an admin changed the rules — `rescore` (recompute every score) or `redecide` (decide every flag from
 * the last scores). All I/O goes through a {@link ScoringStore} (PostgreSQL: {@link prismaScoringStore}).
 */

const HOUR_MS = 3_600_000;

/** A stored threshold, as decideFlag reads it. */
export type StoredThreshold = ThresholdKey & Pick<ThresholdRule, "threshold" | "hysteresis" | "minSample">;

/** A score's numbers: n interactions, of which `negatives`, and the Wilson interval of the rate (0…1). */
export interface ScoreStats {
  n: number;
  negatives: number;
  rate: number;
  lower: number;
  upper: number;
}

/** An item's last score as the worker stored it. */
export interface LastScore extends ScoreStats {
  itemId: string;
  category: string;
  windowStart: Date;
  windowEnd: Date;
}

/** The outcome of one item's decision. */
export interface ScoreOutcome extends ScoreStats {
  flagged: boolean;
  /** The threshold that applied (null when no rule applies). */
  threshold: number | null;
  /** "raised" / "cleared" when this run changed the flag, else null. */
  change: "raised" | "cleared" | null;
  flagId: string | null;
}

/** What {@link ScoringStore.settle} applies in one transaction. */
export interface SettleInput {
  storeId: string;
  itemId: string;
  /** The new score to store first; null: decide on the stored one (`stats`). */
  score: { windowStart: Date; windowEnd: Date } | null;
  stats: ScoreStats;
  /** The flag decision, given whether the item has an open flag (read inside the transaction). */
  decide(flagged: boolean): FlagVerdict<StoredThreshold>;
  /** Recorded on a raised flag, hours. */
  windowHours: number;
  /** ms since epoch */
  now: number;
}

/** What scoring reads and writes. */
export interface ScoringStore {
  rules(storeId: string): Promise<StoreRules>;
  thresholds(storeId: string): Promise<readonly StoredThreshold[]>;
  /** The item's category; throws when the item does not exist. */
  itemCategory(itemId: string): Promise<string>;
  /** The item's rollups in the store over [from, to), summed per dominant expression. */
  expressionGroups(q: { storeId: string; itemId: string; from: Date; to: Date }): Promise<ExpressionGroup[]>;
  /** Items of the store with a score or rollups, in id order. */
  itemIds(storeId: string): Promise<string[]>;
  /** The store's last scores, in item id order. */
  lastScores(storeId: string): Promise<LastScore[]>;
  /**
   * In one transaction: stores the score (when given), reads the item's open flag, asks `decide`, and applies
   * the verdict. A raise that another writer got in first (one open flag per item, `createOpenFlag`) is no
   * change of ours: `change` null, `flagId` theirs.
   */
  settle(
    input: SettleInput,
  ): Promise<{ flagged: boolean; change: "raised" | "cleared" | null; flagId: string | null }>;
}

export interface ScoringDeps {
  store: ScoringStore;
  live: Pick<LivePublisher, "publish">;
  logger: Logger;
  /** Called after each item's decision (tests, metrics). */
  scored?(storeId: string, itemId: string, outcome: ScoreOutcome): void;
  /**
   * Called once when this worker raised a flag (after its transaction committed): queues the flag's alerts
   * (`processors/alerts.ts`). A failure is logged, not thrown: the flag stands either way.
   */
  flagRaised?(flag: { storeId: string; itemId: string; flagId: string }): Promise<void>;
  /** ms since epoch; default Date.now. */
  now?: () => number;
}

/** The score window ending with the current hour (rollups are hourly): [end − windowHours, end). */
export function scoreWindow(now: number, windowHours: number): { start: Date; end: Date } {
  const end = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
  return { start: new Date(end - windowHours * HOUR_MS), end: new Date(end) };
}

/** n, negatives and the Wilson interval of rollup groups under a store's negative rule. */
export function scoreStats(groups: readonly ExpressionGroup[], rules: StoreRules): ScoreStats {
  const n = groups.reduce((s, g) => s + g.count, 0);
  const negatives = countNegatives(groups, rules);
  return { n, negatives, ...wilsonInterval(negatives, n) };
}

interface StoreContext {
  rules: StoreRules;
  thresholds: readonly StoredThreshold[];
}

async function storeContext(store: ScoringStore, storeId: string): Promise<StoreContext> {
  const [rules, thresholds] = await Promise.all([store.rules(storeId), store.thresholds(storeId)]);
  return { rules, thresholds };
}

async function settle(
  deps: ScoringDeps,
  ctx: StoreContext,
  input: { storeId: string; itemId: string; category: string; stats: ScoreStats; windowHours: number },
  score: SettleInput["score"],
  now: number,
): Promise<ScoreOutcome> {
  const { storeId, itemId, stats } = input;
  let threshold: number | null = null;
  const result = await deps.store.settle({
    storeId,
    itemId,
    score,
    stats,
    windowHours: input.windowHours,
    now,
    decide: (flagged) => {
      const verdict = decideFlag({
        target: { itemId, category: input.category, storeId },
        rules: ctx.thresholds,
        flagged,
        stats,
        minSample: ctx.rules.minSample,
      });
      threshold = verdict.applied?.rule.threshold ?? null;
      return verdict;
    },
  });
  const outcome: ScoreOutcome = { ...stats, threshold, ...result };
  if (outcome.change) {
    deps.logger.info({ storeId, itemId, ...outcome }, `flag ${outcome.change}`);
    await deps.live.publish({
      kind: "flag",
      storeId,
      itemId,
      flagId: outcome.flagId!,
      state: outcome.change,
      at: now,
      lower: outcome.lower,
      threshold: outcome.threshold!,
    });
    if (outcome.change === "raised" && deps.flagRaised)
      await deps
        .flagRaised({ storeId, itemId, flagId: outcome.flagId! })
        .catch((err: unknown) =>
          deps.logger.error({ err, storeId, itemId, flagId: outcome.flagId }, "flag alert not queued"),
        );
  }
  deps.scored?.(storeId, itemId, outcome);
  return outcome;
}

/** Recomputes one item's score from its rollups over the store's window, stores it, and decides its flag. */
export async function scoreItem(
  deps: ScoringDeps,
  storeId: string,
  itemId: string,
  ctx?: StoreContext,
): Promise<ScoreOutcome> {
  const now = (deps.now ?? Date.now)();
  const [context, category] = await Promise.all([
    ctx ?? storeContext(deps.store, storeId),
    deps.store.itemCategory(itemId),
  ]);
  const window = scoreWindow(now, context.rules.windowHours);
  const groups = await deps.store.expressionGroups({ storeId, itemId, from: window.start, to: window.end });
  const stats = scoreStats(groups, context.rules);
  return settle(
    deps,
    context,
    { storeId, itemId, category, stats, windowHours: context.rules.windowHours },
    { windowStart: window.start, windowEnd: window.end },
    now,
  );
}

/** The `shelf-scoring` job: one item's score and flag (debounced per item by the visits processor). */
export async function processScore(deps: ScoringDeps, data: unknown): Promise<ScoreOutcome> {
  const parsed = ZScoreJob.safeParse(data);
  if (!parsed.success) throw new JobRejected(invalidJobReason("scoring job", parsed.error), "invalid");
  return scoreItem(deps, parsed.data.storeId, parsed.data.itemId);
}

/**
 * The `shelf-rescore` job: a whole store after an admin changed its rules. `rescore` recomputes every item's
 * score (those with a score or rollups) under the current rules; `redecide` decides every scored item's flag
 * from its last score (a threshold or the minimum sample changed; the scores did not). Items are taken one at
 * a time, each in its own short transaction, as item scoring does; the store's rules are read once.
 *
 * @returns the flags raised and cleared (in item id order) — the web app shows them at once.
 */
export async function processRescore(deps: ScoringDeps, data: unknown): Promise<RescoreResult> {
  const parsed = ZRescoreJob.safeParse(data);
  if (!parsed.success) throw new JobRejected(invalidJobReason("rescore job", parsed.error), "invalid");
  const { storeId, mode, requestId } = parsed.data;
  const ctx = await storeContext(deps.store, storeId);
  const outcomes: (ScoreOutcome & { itemId: string })[] = [];
  if (mode === "rescore") {
    for (const itemId of await deps.store.itemIds(storeId))
      outcomes.push({ itemId, ...(await scoreItem(deps, storeId, itemId, ctx)) });
  } else {
    const now = (deps.now ?? Date.now)();
    for (const last of await deps.store.lastScores(storeId)) {
      const windowHours = Math.round((last.windowEnd.getTime() - last.windowStart.getTime()) / HOUR_MS);
      const { n, negatives, rate, lower, upper } = last;
      const outcome = await settle(
        deps,
        ctx,
        {
          storeId,
          itemId: last.itemId,
          category: last.category,
          stats: { n, negatives, rate, lower, upper },
          windowHours,
        },
        null,
        now,
      );
      outcomes.push({ itemId: last.itemId, ...outcome });
    }
  }
  const at = (deps.now ?? Date.now)();
  const changes: FlagChange[] = outcomes.flatMap((o) =>
    o.change && o.flagId && o.threshold !== null
      ? [{ flagId: o.flagId, itemId: o.itemId, state: o.change, lower: o.lower, threshold: o.threshold, at }]
      : [],
  );
  deps.logger.info(
    { storeId, mode, requestId, items: outcomes.length, changes: changes.length },
    "store rescored",
  );
  return { items: outcomes.length, changes };
}

/** The {@link ScoringStore} on PostgreSQL. */
export function prismaScoringStore(db: Db): ScoringStore {
  return {
    rules: (storeId) => storeRules(db, storeId),
    thresholds: (storeId) => storeThresholds(db, storeId),
    itemCategory: async (itemId) =>
      (await db.item.findUniqueOrThrow({ where: { id: itemId }, select: { category: true } })).category,
    expressionGroups: (q) => itemExpressionGroups(db, q),
    itemIds: (storeId) => scoredItemIds(db, storeId),
    lastScores: async (storeId) =>
      (
        await db.rejectionScore.findMany({
          where: { storeId },
          include: { item: { select: { category: true } } },
          orderBy: { itemId: "asc" },
        })
      ).map((s) => ({
        itemId: s.itemId,
        category: s.item.category,
        n: s.n,
        negatives: s.negatives,
        rate: s.rate,
        lower: s.lower,
        upper: s.upper,
        windowStart: s.windowStart,
        windowEnd: s.windowEnd,
      })),
    settle: (input) =>
      db.$transaction(async (tx) => {
        const { storeId, itemId, stats, score, now } = input;
        if (score)
          await tx.rejectionScore.upsert({
            where: { storeId_itemId: { storeId, itemId } },
            create: { storeId, itemId, ...score, ...stats },
            update: { ...score, ...stats, computedAt: new Date(now) },
          });
        const open = await openFlag(tx, storeId, itemId);
        const verdict = input.decide(open !== null);
        if (verdict.action === "keep")
          return { flagged: verdict.flagged, change: null, flagId: open?.id ?? null };
        if (verdict.action === "clear") {
          await tx.flag.update({ where: { id: open!.id }, data: { clearedAt: new Date(now) } });
          return { flagged: false, change: "cleared", flagId: open!.id };
        }
        const applied = verdict.applied!;
        const { flag, created } = await createOpenFlag(tx, {
          storeId,
          itemId,
          raisedAt: new Date(now),
          ...stats,
          threshold: applied.rule.threshold,
          thresholdLevel: applied.level,
          windowHours: input.windowHours,
        });
        return { flagged: true, change: created ? "raised" : null, flagId: flag.id };
      }),
  };
}
