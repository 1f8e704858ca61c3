import { EXPRESSIONS } from "@shelf/core";
import { createContext } from "@shelf/api/context";
import { createCaller } from "@shelf/api/root";
import { cellColumns, toCsv, type CsvRow } from "@shelf/api/reports/csv";
import { parseRangeSearch, RangeParamError } from "@shelf/api/reports/range-params";
import { refusalResponse } from "@shelf/api/http/refusal";

type Caller = ReturnType<typeof createCaller>;
type Query = {
  storeSlug: string;
  from: Date;
  to: Date;
  fromDay: string;
  toDay: string;
  params: URLSearchParams;
};

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * Every report as CSV, from the same procedures as the pages (so the same roles and the same k-anonymity):
 * GET /api/export/<report>?storeSlug=…&from=YYYY-MM-DD&to=YYYY-MM-DD[&itemId=…&bucket=day|hour].
 */
const REPORTS: Record<string, (api: Caller, q: Query) => Promise<CsvRow[]>> = {
  async products(api, q) {
    const r = await api.reports.itemSummaries({ storeSlug: q.storeSlug, from: q.from, to: q.to });
    return r.items.map((i) => ({
      sku: i.sku,
      name: i.name,
      category: i.category,
      flagged: i.flagged,
      ...cellColumns(i),
    }));
  },
  async "item-trend"(api, q) {
    const r = await api.reports.itemReport({
      storeSlug: q.storeSlug,
      itemId: q.params.get("itemId") ?? "",
      from: q.from,
      to: q.to,
      bucket: q.params.get("bucket") === "hour" ? "hour" : "day",
    });
    return r.series.map((p) => ({
      sku: r.item.sku,
      bucket: p.label,
      bucket_start: iso(p.start),
      ...cellColumns(p),
    }));
  },
  async "item-sales"(api, q) {
    const r = await api.reports.itemReport({
      storeSlug: q.storeSlug,
      itemId: q.params.get("itemId") ?? "",
      from: q.from,
      to: q.to,
    });
    return r.sales.map((s) => ({
      sku: r.item.sku,
      period_start: iso(s.periodStart),
      period_end: iso(s.periodEnd),
      units: s.units,
      revenue: s.revenueMinor === null ? "" : s.revenueMinor / 100,
      currency: s.revenueMinor === null ? "mixed" : s.currency,
      records: s.records,
      ...cellColumns(s),
    }));
  },
  async flags(api, q) {
    const r = await api.reports.flaggedItems({ storeSlug: q.storeSlug });
    return [
      ...r.open.map((f) => ({ f, status: "open" })),
      ...r.cleared.map((f) => ({ f, status: "cleared" })),
    ].map(({ f, status }) => ({
      status,
      sku: f.item.sku,
      name: f.item.name,
      raised_at: iso(f.raisedAt),
      cleared_at: iso(f.clearedAt),
      negative_rate: f.reason?.rate ?? null,
      negative_rate_lower_95: f.reason?.lower ?? null,
      negative_rate_upper_95: f.reason?.upper ?? null,
      interactions: f.reason?.n ?? null,
      negative_interactions: f.reason?.negatives ?? null,
      threshold: f.reason?.threshold ?? null,
      threshold_level: f.reason?.thresholdLevel ?? null,
      window_hours: f.reason?.windowHours ?? null,
    }));
  },
  async "hour-of-day"(api, q) {
    const r = await api.reports.hourOfDay({ storeSlug: q.storeSlug, from: q.from, to: q.to });
    return r.hours.map((h) => ({
      hour: h.hour,
      interactions: h.n,
      hidden_below_k: h.counts === null && h.n > 0,
      ...Object.fromEntries(EXPRESSIONS.map((e) => [`count_${e}`, h.counts ? h.counts[e] : null])),
    }));
  },
  async "daily-visits"(api, q) {
    const r = await api.reports.dailyVisits({ storeSlug: q.storeSlug, from: q.from, to: q.to });
    return r.days.map((d) => ({ day: d.day, shelf_visits: d.visits }));
  },
  async "map-zones"(api, q) {
    const r = await api.reports.storeMap({ storeSlug: q.storeSlug, from: q.from, to: q.to });
    return r.zones.flatMap((z) => [
      { zone: z.name, staff_only: z.staffOnly, sku: null, product: null, ...cellColumns(z) },
      ...z.items.map((i) => ({
        zone: z.name,
        staff_only: z.staffOnly,
        sku: i.sku,
        product: i.name,
        ...cellColumns(i),
      })),
    ]);
  },
  async audit(api, q) {
    const rows: CsvRow[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.admin.auditLog({ storeSlug: q.storeSlug, limit: 500, cursor });
      for (const e of page.entries)
        rows.push({
          at: iso(e.at),
          user: e.user?.email ?? null,
          action: e.action,
          entity: e.entity,
          entity_id: e.entityId,
          before: e.before === null ? null : JSON.stringify(e.before),
          after: e.after === null ? null : JSON.stringify(e.after),
        });
      cursor = page.nextCursor ?? undefined;
    } while (cursor && rows.length < 50_000);
    return rows;
  },
};

const TEXT = { "content-type": "text/plain; charset=utf-8" };

export async function GET(
  request: Request,
  { params }: { params: Promise<{ report: string }> },
): Promise<Response> {
  const { report } = await params;
  const build = REPORTS[report];
  if (!build) return new Response(`unknown report "${report.slice(0, 40)}"`, { status: 404, headers: TEXT });
  const url = new URL(request.url);
  const storeSlug = url.searchParams.get("storeSlug") ?? "";
  const api = createCaller(await createContext(request.headers));
  try {
    const { store } = await api.session.storeAccess({ storeSlug });
    const range = parseRangeSearch(
      { from: url.searchParams.get("from") ?? undefined, to: url.searchParams.get("to") ?? undefined },
      store.timezone,
    );
    const rows = await build(api, { storeSlug, ...range, params: url.searchParams });
    const name = `${store.slug}-${report}-${range.fromDay}_${range.toDay}.csv`;
    return new Response(rows.length ? toCsv(rows) : "", {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${name}"`,
        "cache-control": "no-store",
      },
    });
  } catch (err) {
    const refused = refusalResponse(err);
    if (refused) return refused;
    if (err instanceof RangeParamError) return new Response(err.message, { status: 400, headers: TEXT });
    throw err;
  }
}
