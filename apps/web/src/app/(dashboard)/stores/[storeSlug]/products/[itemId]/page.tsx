import type { Metadata } from "next";
import Link from "next/link";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { SurveySummaryView } from "~/app/qr/_components/survey-summary";
import { CsvLink } from "~/components/csv-link";
import { PageHeader } from "~/components/page-header";
import { RangeFilter } from "~/components/range-filter";
import { MetricDefinition } from "~/components/metric-definition";
import { EmptyState } from "~/components/notice";
import { link } from "~/lib/classes";
import { dateTime } from "~/lib/format";
import { REPORT_ROLES } from "@shelf/api/roles";
import { requireStoreRole } from "~/server/auth/guards";
import { MAX_HOURLY_RANGE_DAYS } from "@shelf/api/reports/range";
import { rangeFromSearch } from "~/server/page-range";
import { api, getQueryClient, HydrateClient, trpc } from "~/trpc/server";
import { ItemReportView } from "./item-report-view";

export const metadata: Metadata = { title: "Product report — Shelf Sentiment" };

export default async function ItemReportPage({
  params,
  searchParams,
}: {
  params: Promise<{ storeSlug: string; itemId: string }>;
  searchParams: Promise<{ from?: string; to?: string; bucket?: string }>;
}) {
  const { storeSlug, itemId } = await params;
  const search = await searchParams;
  const { store } = await requireStoreRole(
    storeSlug,
    REPORT_ROLES,
    `/stores/${storeSlug}/products/${itemId}`,
  );
  const bucket: "hour" | "day" = search.bucket === "hour" ? "hour" : "day";
  const range = rangeFromSearch(search, store.timezone, Date.now(), bucket === "hour" ? 7 : 30);
  const tooLongForHours =
    bucket === "hour" && range.to.getTime() - range.from.getTime() > MAX_HOURLY_RANGE_DAYS * 86_400_000;
  const input = {
    storeSlug,
    itemId,
    from: range.from,
    to: range.to,
    bucket: tooLongForHours ? "day" : bucket,
  };
  let report;
  let rules;
  try {
    // Fetched here as well as handed to the client: the survey summary renders on the server.
    [report, rules] = await Promise.all([
      getQueryClient().fetchQuery(trpc.reports.itemReport.queryOptions(input)),
      api().reports.measurement({ storeSlug }),
    ]);
  } catch (err) {
    if (err instanceof TRPCError && err.code === "NOT_FOUND") notFound();
    throw err;
  }
  const base = `/stores/${storeSlug}/products/${itemId}`;
  const keep = { from: range.fromDay, to: range.toDay };
  return (
    <section aria-labelledby="item-heading" className="space-y-6">
      <p className="text-sm">
        <Link href={`/stores/${storeSlug}/products`} className={link}>
          ← All products
        </Link>
      </p>
      <PageHeader
        id="item-heading"
        title={report.item.name}
        description={
          <>
            SKU <span className="font-mono">{report.item.sku}</span> · {report.item.category} · cells with
            fewer than {report.k} interactions show their count only.
          </>
        }
        actions={
          <>
            <RangeFilter from={range.fromDay} to={range.toDay} hidden={{ bucket }} />
            <nav aria-label="Trend resolution" className="flex gap-1 text-sm">
              {(["day", "hour"] as const).map((b) => (
                <Link
                  key={b}
                  href={`${base}?${new URLSearchParams({ ...keep, bucket: b })}`}
                  aria-current={input.bucket === b ? "page" : undefined}
                  className={`rounded-md border px-2 py-1 ${input.bucket === b ? "border-slate-900 bg-slate-900 text-white" : "border-slate-300 bg-white"}`}
                >
                  per {b}
                </Link>
              ))}
            </nav>
            <CsvLink
              report="item-trend"
              params={{ storeSlug, itemId, from: range.fromDay, to: range.toDay, bucket: input.bucket }}
              label="Trend CSV"
            />
            <CsvLink
              report="item-sales"
              params={{ storeSlug, itemId, from: range.fromDay, to: range.toDay }}
              label="Sales CSV"
            />
          </>
        }
      />
      {tooLongForHours ? (
        <p className="text-sm text-amber-800">
          Hourly trends cover at most {MAX_HOURLY_RANGE_DAYS} days: showing days instead.
        </p>
      ) : null}
      <MetricDefinition rules={rules} />
      <HydrateClient>
        <ItemReportView input={input} timeZone={store.timezone} />
      </HydrateClient>
      <section aria-labelledby="survey-heading" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="survey-heading" className="text-lg font-semibold">
            What shoppers said
          </h2>
          <p className="text-sm">
            <a
              href={`/qr/${encodeURIComponent(store.slug)}/${encodeURIComponent(itemId)}`}
              className={link}
              data-testid="print-shelf-sign"
            >
              Print shelf sign
            </a>{" "}
            ·{" "}
            <a href={`/stores/${encodeURIComponent(store.slug)}/surveys`} className={link}>
              Start or stop its survey
            </a>
          </p>
        </div>
        {report.survey && report.survey.summary.responses + report.survey.summary.declined > 0 ? (
          <>
            <p className="text-sm text-slate-600">
              {report.survey.active ? "The survey is running." : "The survey is not running now."}
              {report.survey.truncated ? " Only the newest responses are summarised." : ""}
            </p>
            <SurveySummaryView summary={report.survey.summary} questions={report.survey.questions} />
          </>
        ) : (
          <EmptyState>
            No survey answers yet. A product’s survey runs while it is flagged
            {report.survey?.active
              ? " — it is flagged now, so answers will arrive as shoppers scan its QR code"
              : ""}
            .
          </EmptyState>
        )}
      </section>
      {report.flags.length ? (
        <section aria-labelledby="flag-history-heading" className="space-y-2">
          <h2 id="flag-history-heading" className="text-lg font-semibold">
            Flag history
          </h2>
          <ul className="space-y-1 text-sm">
            {report.flags.map((f) => (
              <li key={f.id}>
                Raised {dateTime(f.raisedAt, store.timezone)} ({f.thresholdLevel} threshold{" "}
                {(f.threshold * 100).toFixed(0)} %, lower bound {(f.lower * 100).toFixed(0)} %)
                {f.clearedAt ? `, cleared ${dateTime(f.clearedAt, store.timezone)}` : " — open"}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}
