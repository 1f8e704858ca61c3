/**
 * One formatter per time zone: building an Intl.DateTimeFormat costs far more than formatting with it (the
 * chain overview's 50 stores spent ~280 ms a call building them, bench:web --stores 1000 CPU profile).
 */
const wallClocks = new Map<string, Intl.DateTimeFormat>();

function wallClock(timeZone: string): Intl.DateTimeFormat {
  let f = wallClocks.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    wallClocks.set(timeZone, f);
  }
  return f;
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, ms (e.g. +3 600 000 for Berlin in winter). */
export function timeZoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = wallClock(timeZone).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The instant at which the wall clock of `timeZone` shows the given local time. A time in a DST gap (that the
 * clock jumps over) is read as the time that far after the jump (02:30 → 03:30), as JavaScript dates do; a
 * time that occurs twice (clocks going back) gives the later occurrence. Midnight is neither anywhere the
 * app has run: store days are exact.
 */
export function zonedTimeToUtc(
  local: { year: number; month: number; day: number; hour?: number; minute?: number },
  timeZone: string,
): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour ?? 0, local.minute ?? 0);
  const first = wall - timeZoneOffsetMs(wall, timeZone);
  const second = wall - timeZoneOffsetMs(first, timeZone);
  return new Date(Math.max(first, second));
}
