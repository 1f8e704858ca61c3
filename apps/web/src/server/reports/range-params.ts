import { zonedTimeToUtc } from "./time-zone.ts";
import { DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS } from "./range.ts";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

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

/**
 * A page's range from its `from` / `to` search params (store-local days, inclusive); missing or unreadable
 * values fall back to the last {@link DEFAULT_RANGE_DAYS} days up to today, and the span is capped.
 */
export function rangeFromSearch(
  search: { from?: string | string[]; to?: string | string[] },
  timeZone: string,
  now = Date.now(),
  defaultDays = DEFAULT_RANGE_DAYS,
): PageRange {
  const toDay = parts(one(search.to) ?? "") ? one(search.to)! : today(timeZone, now);
  let fromDay = parts(one(search.from) ?? "") ? one(search.from)! : shift(toDay, -(defaultDays - 1));
  if (fromDay > toDay) fromDay = toDay;
  if (fromDay < shift(toDay, -(MAX_RANGE_DAYS - 1))) fromDay = shift(toDay, -(MAX_RANGE_DAYS - 1));
  return {
    from: zonedTimeToUtc(parts(fromDay)!, timeZone),
    to: zonedTimeToUtc(parts(shift(toDay, 1))!, timeZone),
    fromDay,
    toDay,
  };
}
