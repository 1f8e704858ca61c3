import { DEFAULT_MIN_SAMPLE } from "./scoring.ts";
import { DEFAULT_NEGATIVE_SET, parseNegativeSet, type NegativeRule } from "./negative.ts";

/** Survey prompt cooldowns, ms. */
export interface PromptCooldowns {
  /** Minimum gap between two prompts on one kiosk, ms (default 120 000 = StoreSettings default 120 s). */
  readonly kioskMs: number;
  /** Minimum gap between two prompts about one item in one store, on any kiosk, ms (default 600 000). */
  readonly itemMs: number;
}

export const DEFAULT_PROMPT_COOLDOWNS: PromptCooldowns = { kioskMs: 120_000, itemMs: 600_000 };

/**
 * A store's scoring, reporting and survey rules: its `StoreSettings` row over the product defaults. The one
 * shape every reader uses (worker scoring and triggers, reports, live view); the database read is
 * `storeRules(db, storeId)` in `@shelf/db`.
 */
export interface StoreRules extends NegativeRule {
  /** Report cells with fewer interactions than this show their count only; ≥ 1. */
  readonly k: number;
  /** Least interactions in the window before an item may be flagged or cleared (when its threshold has none). */
  readonly minSample: number;
  /** Rolling window of rejection scores, hours. */
  readonly windowHours: number;
  /** Interactions and survey responses older than this are deleted, days. */
  readonly retentionDays: number;
  readonly surveyCooldowns: PromptCooldowns;
}

/** The columns of a `StoreSettings` row that {@link storeRulesOf} reads (cooldowns in seconds). */
export interface StoreSettingsRow {
  negativeExpressions: readonly string[];
  includeHesitation: boolean;
  scoreWindowHours: number;
  minSample: number;
  kAnonymity: number;
  retentionDays: number;
  surveyCooldownKioskS: number;
  surveyCooldownItemS: number;
}

/** The schema defaults of `StoreSettings`, for stores without a row (keep in step with schema.prisma). */
export const DEFAULT_STORE_RULES: StoreRules = {
  negative: new Set(DEFAULT_NEGATIVE_SET),
  includeHesitation: false,
  k: 5,
  minSample: DEFAULT_MIN_SAMPLE,
  windowHours: 168,
  retentionDays: 90,
  surveyCooldowns: DEFAULT_PROMPT_COOLDOWNS,
};

/**
 * A store's rules from its settings row; null (no row yet) → {@link DEFAULT_STORE_RULES}. Unknown expression
 * names are ignored, k is at least 1, negative cooldowns count as none.
 */
export function storeRulesOf(row: StoreSettingsRow | null | undefined): StoreRules {
  if (!row) return DEFAULT_STORE_RULES;
  return {
    negative: parseNegativeSet(row.negativeExpressions),
    includeHesitation: row.includeHesitation,
    k: Math.max(1, row.kAnonymity),
    minSample: row.minSample,
    windowHours: row.scoreWindowHours,
    retentionDays: row.retentionDays,
    surveyCooldowns: {
      kioskMs: Math.max(0, row.surveyCooldownKioskS) * 1000,
      itemMs: Math.max(0, row.surveyCooldownItemS) * 1000,
    },
  };
}
