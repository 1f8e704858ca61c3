import { notFound } from "next/navigation";
import { DEFAULT_RANGE_DAYS } from "@shelf/api/reports/range";
import { parseRangeSearch, RangeParamError, type PageRange } from "@shelf/api/reports/range-params";

/** {@link parseRangeSearch} for a page: a bad `from` / `to` renders the not-found page (HTTP 404). */
export function rangeFromSearch(
  search: { from?: string | string[] | undefined; to?: string | string[] | undefined },
  timeZone: string,
  now = Date.now(),
  defaultDays = DEFAULT_RANGE_DAYS,
): PageRange {
  try {
    return parseRangeSearch(search, timeZone, now, defaultDays);
  } catch (err) {
    if (err instanceof RangeParamError) notFound();
    throw err;
  }
}
