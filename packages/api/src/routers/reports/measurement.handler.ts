import { EXPRESSIONS, type Expression } from "@shelf/core";
import type { StoreContext } from "../../trpc.ts";
import { storeRules } from "../../reports/rules.ts";

/**
 * What a store's negative-expression rate counts, for the "What is this?" note on every page that shows a
 * rate: the store's own rules, read through the one reader the worker and the reports use.
 */
export interface MeasurementRules {
  /** Dominant expressions that count as negative, in the model's label order. */
  negative: Expression[];
  /** Hesitations (a long look without a smile) also count. */
  includeHesitation: boolean;
  /** Report cells with fewer interactions than k show their count only. */
  k: number;
  /** Least interactions in the scoring window before a product may be flagged. */
  minSample: number;
  /** Rolling scoring window, hours. */
  windowHours: number;
}

/** The store's negative set, hesitation switch, k, minimum sample and scoring window. */
export async function measurement({
  ctx,
}: {
  ctx: Pick<StoreContext, "db" | "store">;
}): Promise<MeasurementRules> {
  const rules = await storeRules(ctx.db, ctx.store.id);
  return {
    negative: EXPRESSIONS.filter((e) => rules.negative.has(e)),
    includeHesitation: rules.includeHesitation,
    k: rules.k,
    minSample: rules.minSample,
    windowHours: rules.windowHours,
  };
}
