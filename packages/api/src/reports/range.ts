import { z } from "zod";
import { DomainRuleError } from "../trpc.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Reports cover the last 30 days unless asked otherwise. */
export const DEFAULT_RANGE_DAYS = 30;
/** Longest range a report reads, days. */
export const MAX_RANGE_DAYS = 3 * 366;
/** Longest range an hourly series covers, days (≤ 2 232 points). */
export const MAX_HOURLY_RANGE_DAYS = 93;

/** `from` (inclusive) … `to` (exclusive); both optional: see {@link resolveRange}. */
export const ZRangeFields = {
  from: z.date().optional(),
  to: z.date().optional(),
};

export interface DateRange {
  from: Date;
  to: Date;
}

/**
 * The range a report reads: `to` defaults to the end of the current hour (rollups are hourly), `from` to
 * {@link DEFAULT_RANGE_DAYS} before `to`. Throws DomainRuleError for an empty or over-long range.
 */
export function resolveRange(
  input: { from?: Date | undefined; to?: Date | undefined },
  now = Date.now(),
  maxDays = MAX_RANGE_DAYS,
): DateRange {
  const to = input.to ?? new Date(Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS);
  const from = input.from ?? new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (!(from < to)) throw new DomainRuleError("the range must start before it ends");
  if (to.getTime() - from.getTime() > maxDays * DAY_MS)
    throw new DomainRuleError(`the range may span at most ${maxDays} days`);
  return { from, to };
}
