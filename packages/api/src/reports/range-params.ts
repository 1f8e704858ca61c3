import { DomainRuleError } from "../trpc.ts";
import { zonedTimeToUtc } from "./time-zone.ts";
import { DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS } from "./range.ts";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Days a report may name. Far enough either way for any real data; bounded so that a day's arithmetic (the
 * exclusive end is the next day, the span cap goes back up to {@link MAX_RANGE_DAYS}) and its conversion to an
 * instant stay within what Date and the database represent (`to=9999-12-31` once made year 10000 and crashed).
 */
export const FIRST_DAY = "1970-01-01";
export const LAST_DAY = "2999-12-31";

/** A `from` / `to` search param that is not a day in [{@link FIRST_DAY}, {@link LAST_DAY}]: 400 (pages: 404). */
export class RangeParamError extends DomainRuleError {
  constructor(
    readonly field: "from" | "to",
    value: string,
  ) {
    super(`${field}: "${value.slice(0, 40)}" is not a day YYYY-MM-DD between ${FIRST_DAY} and ${LAST_DAY}`);
    this.name = "RangeParamError";
  }
}

export interface PageRange {
  /** First instant of `fromDay`, store time. */
  from: Date;
  /** First instant after `toDay`, store time (exclusive). */
  to: Date;
  /** YYYY-MM-DD, store time, inclusive. */
  fromDay: string;
  toDay: string;
}

function parts(day: string): { year: number; month: number; day: number } | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day
    ? null
    : { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

function shift(day: string, days: number): string {
  const p = parts(day)!;
  return new Date(Date.UTC(p.year, p.month - 1, p.day + days)).toISOString().slice(0, 10);
}

function today(timeZone: string, now: number): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(now));
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function day(field: "from" | "to", value: string | undefined): string | null {
  if (value === undefined || value === "") return null;
  if (!parts(value) || value < FIRST_DAY || value > LAST_DAY) throw new RangeParamError(field, value);
  return value;
}

/**
 * A report's range from `from` / `to` search params (store-local days, inclusive); missing values fall back
 * to the last {@link DEFAULT_RANGE_DAYS} days up to today, and the span is capped. Throws
 * {@link RangeParamError} (naming the field) for a value that is present but not an allowed day.
 */
export function parseRangeSearch(
  search: { from?: string | string[] | undefined; to?: string | string[] | undefined },
  timeZone: string,
  now = Date.now(),
  defaultDays = DEFAULT_RANGE_DAYS,
): PageRange {
  const toDay = day("to", one(search.to)) ?? today(timeZone, now);
  let fromDay = day("from", one(search.from)) ?? shift(toDay, -(defaultDays - 1));
  if (fromDay > toDay) fromDay = toDay;
  if (fromDay < shift(toDay, -(MAX_RANGE_DAYS - 1))) fromDay = shift(toDay, -(MAX_RANGE_DAYS - 1));
  if (fromDay < FIRST_DAY) fromDay = FIRST_DAY;
  return {
    from: zonedTimeToUtc(parts(fromDay)!, timeZone),
    to: zonedTimeToUtc(parts(shift(toDay, 1))!, timeZone),
    fromDay,
    toDay,
  };
}
