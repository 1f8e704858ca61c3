import { z } from "zod";

/** A binomial proportion with its Wilson score interval, all in 0…1. */
export interface WilsonInterval {
  readonly lower: number;
  readonly upper: number;
  /** successes / n (0 when n = 0). */
  readonly rate: number;
}

/**
 * Wilson score interval of a binomial proportion: unlike the normal ("Wald") interval it stays
 * inside 0…1 and behaves at small n and at rates near 0 or 1, which is where rejection rates live.
 *
 * @param successes - count of successes (e.g. negative interactions), integer 0…n.
 * @param n - count of trials (interactions), integer ≥ 0. With n = 0 nothing is known: 0…1, rate 0.
 * @param z - standard-normal quantile of the confidence level; default 1.96 (two-sided 95 %).
 * @throws RangeError for non-integer counts, successes outside 0…n, or z not finite and ≥ 0.
 */
export function wilsonInterval(successes: number, n: number, z = 1.96): WilsonInterval {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isSafeInteger(successes) || successes < 0 || successes > n)
    throw new RangeError(`successes must be an integer in 0…${n}, got ${successes}`);
  if (!(z >= 0) || !Number.isFinite(z)) throw new RangeError(`z must be finite and ≥ 0, got ${z}`);
  if (n === 0) return { lower: 0, upper: 1, rate: 0 };
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // At 0 or n successes the bound is exactly 0 or 1 in theory; pin it against rounding.
  return {
    lower: successes === 0 ? 0 : Math.max(0, centre - half),
    upper: successes === n ? 1 : Math.min(1, centre + half),
    rate: p,
  };
}

/** Where a rejection threshold applies, most specific last. */
export const THRESHOLD_LEVELS = ["global", "category", "item"] as const;
export type ThresholdLevel = (typeof THRESHOLD_LEVELS)[number];

/** Default gap between the raise and clear thresholds (on the Wilson lower bound). */
export const DEFAULT_HYSTERESIS = 0.05;
/** Default least number of interactions in the window before an item may be flagged or cleared. */
export const DEFAULT_MIN_SAMPLE = 30;

/**
 * An admin's rejection threshold (`Threshold` row). `level` says which key applies: `global` has
 * neither `category` nor `itemId`, `category` has only `category`, `item` has only `itemId`.
 * `storeId` null applies to every store.
 */
export const ZThresholdRule = z
  .object({
    id: z.string().min(1).max(64).optional(),
    storeId: z.string().min(1).max(64).nullable().default(null),
    level: z.enum(THRESHOLD_LEVELS),
    category: z.string().min(1).max(100).nullable().default(null),
    itemId: z.string().min(1).max(64).nullable().default(null),
    /** Raise a flag when the Wilson lower bound of the negative rate exceeds this, in (0, 1). */
    threshold: z.number().gt(0).lt(1),
    /** Clear when the lower bound falls below threshold − hysteresis; 0…0.5 and below threshold. Default 0.05. */
    hysteresis: z.number().min(0).max(0.5).default(DEFAULT_HYSTERESIS),
    /** Least interactions in the window to decide either way; null: {@link DEFAULT_MIN_SAMPLE}. 1…1 000 000. */
    minSample: z.number().int().min(1).max(1_000_000).nullable().default(null),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const wantCategory = rule.level === "category";
    const wantItem = rule.level === "item";
    if (wantCategory !== (rule.category !== null))
      ctx.addIssue({
        code: "custom",
        path: ["category"],
        message: wantCategory
          ? "a category threshold needs a category"
          : `a ${rule.level} threshold takes no category`,
      });
    if (wantItem !== (rule.itemId !== null))
      ctx.addIssue({
        code: "custom",
        path: ["itemId"],
        message: wantItem ? "an item threshold needs an itemId" : `a ${rule.level} threshold takes no itemId`,
      });
    if (rule.hysteresis >= rule.threshold)
      ctx.addIssue({
        code: "custom",
        path: ["hysteresis"],
        message: "hysteresis must be below the threshold, or a flag could never clear",
      });
  });
export type ThresholdRule = z.output<typeof ZThresholdRule>;

/** What {@link resolveThreshold} looks a threshold up for. */
export interface ThresholdTarget {
  readonly itemId: string;
  readonly category?: string | null;
  /** The store being scored; rules for other stores are ignored. Absent: only all-store rules apply. */
  readonly storeId?: string | null;
}

/** The rule that applies, and at which level it was found. */
export interface ResolvedThreshold<R> {
  readonly rule: R;
  readonly level: ThresholdLevel;
}

/** What {@link resolveThreshold} needs of a rule: its key, and what breaks a tie between two rules. */
export type ThresholdKey = Pick<ThresholdRule, "level" | "storeId" | "category" | "itemId"> & {
  readonly id?: string | undefined;
  /** Last change (a Date or ms since epoch); a rule without it loses every tie. */
  readonly updatedAt?: Date | number | null | undefined;
};

function updatedMs(rule: ThresholdKey): number {
  const at = rule.updatedAt;
  return at == null ? -Infinity : typeof at === "number" ? at : at.getTime();
}

/**
 * The threshold that applies to an item, in ONE order, whatever order the rules are listed in:
 *
 * 1. the most specific level: an item rule beats a category rule beats the global rule;
 * 2. within a level, a rule for the item's store beats an all-store rule;
 * 3. on a full tie (two rules for the same level and scope — the admin pages keep one rule per key, but two
 *    saves racing, or a hand-written row, can leave two), the most recently updated rule wins: it is the
 *    admin's latest decision;
 * 4. then the smallest id, so that the answer never depends on the order a query returned the rows in.
 *
 * Rules for other stores are ignored. Null when no rule applies (the caller decides whether that means
 * "never flag"; {@link decideFlag} keeps the current state).
 */
export function resolveThreshold<R extends ThresholdKey>(
  target: ThresholdTarget,
  rules: readonly R[],
): ResolvedThreshold<R> | null {
  const storeId = target.storeId ?? null;
  let best: { rule: R; rank: number } | null = null;
  for (const rule of rules) {
    if (rule.storeId !== null && rule.storeId !== storeId) continue;
    const matches =
      rule.level === "item"
        ? rule.itemId === target.itemId
        : rule.level === "category"
          ? target.category != null && rule.category === target.category
          : true;
    if (!matches) continue;
    const rank = THRESHOLD_LEVELS.indexOf(rule.level) * 2 + (rule.storeId !== null ? 1 : 0);
    if (!best || rank > best.rank || (rank === best.rank && beatsOnTie(rule, best.rule)))
      best = { rule, rank };
  }
  return best ? { rule: best.rule, level: best.rule.level } : null;
}

/** Steps 3 and 4 of {@link resolveThreshold}: newer wins, then the smaller id. */
function beatsOnTie(a: ThresholdKey, b: ThresholdKey): boolean {
  const at = updatedMs(a);
  const bt = updatedMs(b);
  if (at !== bt) return at > bt;
  return (a.id ?? "") < (b.id ?? "");
}

/** When to raise and clear a flag. */
export interface FlagRule {
  /** Raise when the Wilson lower bound of the negative rate is above this, 0…1. */
  readonly threshold: number;
  /** Clear when the lower bound is below this, ≤ threshold. Default threshold − {@link DEFAULT_HYSTERESIS}. */
  readonly clearThreshold?: number;
  /** Least interactions in the window to change state either way, integer ≥ 1. */
  readonly minSample: number;
}

/** A {@link FlagRule} from a stored threshold, filling `minSample` when the rule leaves it open. */
export function flagRuleOf(
  rule: Pick<ThresholdRule, "threshold" | "hysteresis" | "minSample">,
  defaultMinSample = DEFAULT_MIN_SAMPLE,
): FlagRule {
  return {
    threshold: rule.threshold,
    clearThreshold: rule.threshold - rule.hysteresis,
    minSample: rule.minSample ?? defaultMinSample,
  };
}

/** Why {@link nextFlagState} decided as it did. */
export type FlagCause =
  /** Lower bound above the threshold with enough interactions: flag raised. */
  | "raised"
  /** Lower bound below the clear threshold with enough interactions: flag cleared. */
  | "cleared"
  /** Flagged, and the lower bound is still at or above the clear threshold. */
  | "still_flagged"
  /** Not flagged, and the lower bound is at or below the threshold. */
  | "below_threshold"
  /** Too few interactions in the window to decide: the state is kept as it is. */
  | "insufficient_sample";

/** The outcome of one flag evaluation, with the numbers behind it (stored on the `Flag` row). */
export interface FlagDecision {
  readonly flagged: boolean;
  /** True when `flagged` differs from the current state. */
  readonly changed: boolean;
  readonly reason: {
    readonly cause: FlagCause;
    readonly rate: number;
    readonly lower: number;
    readonly upper: number;
    readonly n: number;
    readonly negatives: number;
    readonly threshold: number;
    readonly clearThreshold: number;
    readonly minSample: number;
  };
}

/**
 * Flag state machine with hysteresis, on the Wilson lower bound of the negative-interaction rate
 * over a window.
 *
 * - A flag is raised when n ≥ minSample and lower > threshold: we are confident (at the z level)
 *   that the true rate exceeds the threshold — never on a handful of faces.
 * - A raised flag is cleared when n ≥ minSample and lower < clearThreshold (threshold − hysteresis):
 *   the band between the two keeps an item hovering at the threshold from flapping.
 * - With n < minSample nothing changes, in either direction: a quiet window (few shoppers, e.g. at
 *   night) is no evidence that a rejected product got better, nor that a fine one got worse.
 *
 * @param z - confidence quantile for the interval; default 1.96.
 * @throws RangeError for counts or rules out of range (see {@link wilsonInterval}; clearThreshold > threshold).
 */
export function nextFlagState(
  current: { readonly flagged: boolean },
  stats: { readonly negatives: number; readonly n: number },
  rule: FlagRule,
  z = 1.96,
): FlagDecision {
  const clearThreshold = rule.clearThreshold ?? rule.threshold - DEFAULT_HYSTERESIS;
  if (!(rule.threshold >= 0 && rule.threshold <= 1))
    throw new RangeError(`threshold must be in 0…1, got ${rule.threshold}`);
  if (!(clearThreshold <= rule.threshold))
    throw new RangeError(`clearThreshold (${clearThreshold}) must not exceed threshold (${rule.threshold})`);
  if (!Number.isSafeInteger(rule.minSample) || rule.minSample < 1)
    throw new RangeError(`minSample must be an integer ≥ 1, got ${rule.minSample}`);
  const { lower, upper, rate } = wilsonInterval(stats.negatives, stats.n, z);

  let cause: FlagCause;
  let flagged = current.flagged;
  if (stats.n < rule.minSample) cause = "insufficient_sample";
  else if (!current.flagged && lower > rule.threshold) {
    flagged = true;
    cause = "raised";
  } else if (current.flagged && lower < clearThreshold) {
    flagged = false;
    cause = "cleared";
  } else cause = current.flagged ? "still_flagged" : "below_threshold";

  return {
    flagged,
    changed: flagged !== current.flagged,
    reason: {
      cause,
      rate,
      lower,
      upper,
      n: stats.n,
      negatives: stats.negatives,
      threshold: rule.threshold,
      clearThreshold,
      minSample: rule.minSample,
    },
  };
}

/** What {@link decideFlag} decides on: one item in one store. */
export interface FlagInput<R> {
  readonly target: ThresholdTarget;
  /** Candidate rules (any order; those of other stores are ignored). */
  readonly rules: readonly R[];
  /** Whether the item has an open flag in the store now. */
  readonly flagged: boolean;
  /** The item's negative interactions and interactions over the score window. */
  readonly stats: { readonly negatives: number; readonly n: number };
  /** The store's minimum sample, for a rule that leaves its own open (`minSample` null). */
  readonly minSample: number;
  /** Confidence quantile; default 1.96. */
  readonly z?: number;
}

/** What to do with an item's flag, and why. */
export interface FlagVerdict<R> {
  /** `raise` / `clear`: change the state; `keep`: leave it. */
  readonly action: "raise" | "clear" | "keep";
  /** The state after the action. */
  readonly flagged: boolean;
  /** The rule that applied; null when none does (then the state is kept: no rule, no decision). */
  readonly applied: ResolvedThreshold<R> | null;
  /** The numbers behind the decision (stored on the flag); null when no rule applies. */
  readonly decision: FlagDecision | null;
}

/**
 * The flag decision — the one place it is made: resolve the threshold ({@link resolveThreshold}), fill the
 * rule's minimum sample from the store's, and run the hysteresis state machine ({@link nextFlagState}).
 * With no applicable rule nothing changes: an open flag stays open until a rule clears it (deleting every
 * rule is not evidence that a product got better).
 */
export function decideFlag<
  R extends ThresholdKey & Pick<ThresholdRule, "threshold" | "hysteresis" | "minSample">,
>(input: FlagInput<R>): FlagVerdict<R> {
  const applied = resolveThreshold(input.target, input.rules);
  if (!applied) return { action: "keep", flagged: input.flagged, applied: null, decision: null };
  const decision = nextFlagState(
    { flagged: input.flagged },
    input.stats,
    flagRuleOf(applied.rule, input.minSample),
    input.z,
  );
  const action = !decision.changed ? "keep" : decision.flagged ? "raise" : "clear";
  return { action, flagged: decision.flagged, applied, decision };
}
