import Papa from "papaparse";
import { zonedTimeToUtc } from "../../reports/time-zone.ts";

/**
 * Sales CSV, one row per product and period (a header row first; columns in any order, names case-blind):
 *
 * | column         | required | format                                                                  |
 * | -------------- | -------- | ----------------------------------------------------------------------- |
 * | `sku`          | yes      | a product's SKU                                                         |
 * | `period_start` | yes      | `YYYY-MM-DD` (a day, store time) or `YYYY-MM-DDTHH:MM` (store time) or ISO 8601 with offset |
 * | `period_end`   | no       | same formats; default: one day after a date, one hour after a time      |
 * | `units`        | yes      | whole number ≥ 0                                                        |
 * | `revenue`      | yes      | decimal in major units with at most 2 decimals (`12.50`)                |
 * | `currency`     | no       | ISO 4217 code, default EUR                                              |
 */
export const SALES_COLUMNS = ["sku", "period_start", "period_end", "units", "revenue", "currency"] as const;
const REQUIRED = ["sku", "period_start", "units", "revenue"] as const;

export interface SalesRow {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  sku: string;
  periodStart: Date;
  periodEnd: Date;
  units: number;
  revenueMinor: number;
  currency: string;
}

export interface SalesParseError {
  line: number;
  message: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A point in time from the CSV and the default period length after it, ms; null when unreadable. */
function parseTime(value: string, timeZone: string): { at: Date; defaultLengthMs: number } | null {
  let m = DATE.exec(value);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
    return { at: zonedTimeToUtc({ year: y, month: mo, day: d }, timeZone), defaultLengthMs: 86_400_000 };
  }
  m = LOCAL_TIME.exec(value);
  if (m) {
    const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
    return {
      at: zonedTimeToUtc({ year: y, month: mo, day: d, hour: h, minute: mi }, timeZone),
      defaultLengthMs: 3_600_000,
    };
  }
  if (WITH_OFFSET.test(value)) {
    const at = new Date(value);
    return Number.isNaN(at.getTime()) ? null : { at, defaultLengthMs: 3_600_000 };
  }
  return null;
}

/**
 * Reads a sales CSV. Returns every row, or every error (by line): an import is all or nothing, so a file with
 * one bad line changes nothing.
 */
export function parseSalesCsv(
  csv: string,
  timeZone: string,
): { rows: SalesRow[]; errors: SalesParseError[] } {
  const parsed = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ""), {
    header: true,
    skipEmptyLines: "greedy",
    transformHeader: (h) =>
      h
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, "_"),
    transform: (v) => v.trim(),
  });
  const errors: SalesParseError[] = [];
  const fields = parsed.meta.fields ?? [];
  const missing = REQUIRED.filter((c) => !fields.includes(c));
  if (missing.length) {
    errors.push({
      line: 1,
      message: `missing column${missing.length > 1 ? "s" : ""}: ${missing.join(", ")} (expected ${SALES_COLUMNS.join(", ")})`,
    });
    return { rows: [], errors };
  }
  for (const e of parsed.errors)
    if (e.type !== "FieldMismatch") errors.push({ line: (e.row ?? 0) + 2, message: e.message });
  const rows: SalesRow[] = [];
  const seen = new Set<string>();
  parsed.data.forEach((r, i) => {
    const line = i + 2;
    const bad = (message: string) => errors.push({ line, message });
    const sku = r.sku ?? "";
    if (!sku) return bad("sku is empty");
    const start = parseTime(r.period_start ?? "", timeZone);
    if (!start)
      return bad(`period_start "${r.period_start ?? ""}" is not YYYY-MM-DD, YYYY-MM-DDTHH:MM or ISO 8601`);
    let periodEnd = new Date(start.at.getTime() + start.defaultLengthMs);
    if (r.period_end) {
      const end = parseTime(r.period_end, timeZone);
      if (!end) return bad(`period_end "${r.period_end}" is not YYYY-MM-DD, YYYY-MM-DDTHH:MM or ISO 8601`);
      periodEnd = end.at;
    }
    if (!(periodEnd > start.at)) return bad("period_end must be after period_start");
    if (!/^\d{1,9}$/.test(r.units ?? "")) return bad(`units "${r.units ?? ""}" is not a whole number ≥ 0`);
    const revenue = r.revenue ?? "";
    if (!/^-?\d{1,12}(\.\d{1,2})?$/.test(revenue))
      return bad(`revenue "${revenue}" is not a decimal with at most 2 decimals`);
    const revenueMinor = Math.round(Number(revenue) * 100);
    if (Math.abs(revenueMinor) > 2_000_000_000) return bad("revenue is too large");
    const currency = (r.currency || "EUR").toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) return bad(`currency "${r.currency ?? ""}" is not a 3-letter ISO code`);
    const key = `${sku}\u0000${start.at.getTime()}`;
    if (seen.has(key)) return bad(`${sku} has this period_start twice`);
    seen.add(key);
    rows.push({
      line,
      sku,
      periodStart: start.at,
      periodEnd,
      units: Number(r.units),
      revenueMinor,
      currency,
    });
  });
  if (!rows.length && !errors.length) errors.push({ line: 1, message: "no data rows" });
  return { rows, errors };
}
