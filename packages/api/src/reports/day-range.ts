import type { DateRange } from "./range.ts";
import { timeZoneOffsetMs, zonedTimeToUtc } from "./time-zone.ts";

const DAY_MS = 86_400_000;

/** The first instant of the store-local day that contains `at`. */
export function startOfStoreDay(at: Date, timeZone: string): Date {
  const wall = new Date(at.getTime() + timeZoneOffsetMs(at.getTime(), timeZone));
  return zonedTimeToUtc(
    { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() },
    timeZone,
  );
}

function nextStoreDay(dayStart: Date, timeZone: string): Date {
  // Noon of the day plus a day lands inside the next day whatever DST does (days are 23–25 h).
  return startOfStoreDay(new Date(dayStart.getTime() + DAY_MS + DAY_MS / 2), timeZone);
}

/**
 * A report range widened to whole days of the store's time zone: `from` back to the start of its day,
 * `to` forward to the end of its day (unless it already is a day boundary). Reports read whole days only,
 * so two overlapping ranges can differ by whole days, never by the hour or minute that holds one shopper.
 */
export function snapToStoreDays(range: DateRange, timeZone: string): DateRange {
  const from = startOfStoreDay(range.from, timeZone);
  const lastDay = startOfStoreDay(new Date(range.to.getTime() - 1), timeZone);
  return { from, to: nextStoreDay(lastDay, timeZone) };
}
