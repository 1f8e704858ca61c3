import { EXPRESSIONS, ZExpression, type Expression } from "./expressions.ts";

/**
 * What counts as a rejection — the one rule, used when an interaction is written (its `negative` column and
 * live event), when an item is scored (from hourly rollups), in reports (any union of rollups) and in the
 * live view's "negative only" filters.
 *
 * An interaction is negative when its dominant expression is in the store's negative set, or — when the
 * store counts hesitation — when it was a hesitation (long look, no smile). Summed over rollup groups
 * (one per dominant expression) that is: every interaction of a negative expression, plus the hesitations
 * of the other expressions. Both forms agree by construction (see `negative.test.ts`).
 */

/**
 * Expressions that count as rejection by default. Fear and sadness are left out: at a shelf they say
 * more about the shopper's day than about the product.
 */
export const DEFAULT_NEGATIVE_SET: readonly Expression[] = ["disgust", "angry"];

/** A store's rejection rule (part of its settings, see `storeRulesOf`). */
export interface NegativeRule {
  /** Dominant expressions that count as a rejection. */
  readonly negative: ReadonlySet<Expression>;
  /** Also count hesitations among the other interactions. Default false: weaker evidence than an expression. */
  readonly includeHesitation: boolean;
}

/** The product default: disgust and anger, hesitation not counted. */
export const DEFAULT_NEGATIVE_RULE: NegativeRule = {
  negative: new Set(DEFAULT_NEGATIVE_SET),
  includeHesitation: false,
};

/**
 * The negative set from a stored list of expression names (a `String[]` column): known names only,
 * in `EXPRESSIONS` order; unknown names are ignored (a renamed class must not break scoring).
 */
export function parseNegativeSet(names: readonly string[]): ReadonlySet<Expression> {
  const known = new Set(names.flatMap((n) => ZExpression.safeParse(n).data ?? []));
  return new Set(EXPRESSIONS.filter((e) => known.has(e)));
}

/** Whether one interaction counts as a rejection under `rule` (default {@link DEFAULT_NEGATIVE_RULE}). */
export function isNegativeInteraction(
  interaction: { readonly dominant: Expression; readonly hesitation: boolean },
  rule: NegativeRule = DEFAULT_NEGATIVE_RULE,
): boolean {
  return rule.negative.has(interaction.dominant) || (rule.includeHesitation && interaction.hesitation);
}

/** One rollup group: the interactions of one dominant expression, and how many of them were hesitations. */
export interface ExpressionGroup {
  readonly expression: Expression;
  readonly count: number;
  readonly hesitationCount: number;
}

/**
 * Rejections among rollup groups under `rule`: Σ count of negative expressions + (when `includeHesitation`)
 * Σ hesitationCount of the others. Equal to counting {@link isNegativeInteraction} over the interactions.
 */
export function countNegatives(groups: Iterable<ExpressionGroup>, rule: NegativeRule): number {
  let negatives = 0;
  for (const g of groups) {
    if (rule.negative.has(g.expression)) negatives += g.count;
    else if (rule.includeHesitation) negatives += g.hesitationCount;
  }
  return negatives;
}
