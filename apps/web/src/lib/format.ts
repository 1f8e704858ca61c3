/** Display formats shared by pages, charts and CSV (numbers stay numbers in CSV; these are for people). */

export function pct(x: number | null | undefined, digits = 0): string {
  return x === null || x === undefined ? "—" : `${(x * 100).toFixed(digits)} %`;
}

/** A rate with its 95 % interval, e.g. "33 % (10–65 %)". */
export function rateWithBounds(r: { rate: number; lower: number; upper: number } | null | undefined): string {
  if (!r) return "—";
  return `${pct(r.rate)} (${(r.lower * 100).toFixed(0)}–${pct(r.upper)})`;
}

/** ms → "4.2 s" / "1 min 5 s". */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function money(minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

export function dateTime(d: Date | number | null | undefined, timeZone?: string): string {
  if (d === null || d === undefined) return "—";
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone }).format(
    new Date(d),
  );
}

export function date(d: Date | number, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone }).format(new Date(d));
}

/** YYYY-MM-DD of an instant in a time zone. */
export function isoDay(d: Date | number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(d));
}

export function signed(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined) return "—";
  const v = x.toFixed(digits);
  return x > 0 ? `+${v}` : v;
}
