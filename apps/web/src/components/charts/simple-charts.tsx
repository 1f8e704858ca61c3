"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { withGaps } from "./time-axis";
import { timeXAxisProps, useTimeAxis, type TimeAxis } from "./use-time-axis";

function summary(days: { day: string; visits: number }[]): string {
  if (!days.length) return "No shelf visits in this range.";
  const total = days.reduce((s, d) => s + d.visits, 0);
  const busiest = days.reduce((a, b) => (b.visits > a.visits ? b : a));
  return `${total} shelf visits over ${days.length} day${days.length === 1 ? "" : "s"} with visits (store time); busiest ${busiest.day} with ${busiest.visits}.`;
}

/**
 * Shelf visits per day on a time axis over `range` (store days): one bar a day wide per day with visits,
 * days without visits left as gaps.
 */
export function DailyVisitsChart({
  days,
  range,
  timeZone,
  testId,
}: {
  days: { day: string; start: Date; visits: number }[];
  range: { from: Date; to: Date };
  timeZone: string;
  testId?: string;
}) {
  const { ref, time } = useTimeAxis(
    { from: range.from.getTime(), to: range.to.getTime(), bucket: "day", timeZone },
    48 + 16,
  );
  const data = days.map((d) => ({ ...d, t: time.x(d.start.getTime()) }));
  return (
    <figure className="space-y-2" data-testid={testId}>
      <div style={{ height: 220 }} aria-hidden ref={ref}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis {...timeXAxisProps(time)} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={48} />
            <Tooltip labelFormatter={(t) => time.tickFormatter(Number(t))} />
            <Bar
              dataKey="visits"
              name="shelf visits"
              fill="#334155"
              barSize={time.barSize}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="text-xs text-slate-500">{summary(days)}</figcaption>
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-600">Data as a table</summary>
        <table className="mt-2 text-xs">
          <thead>
            <tr className="text-left text-slate-500">
              <th scope="col" className="py-1 pr-4">
                Day
              </th>
              <th scope="col" className="py-1 text-right">
                Shelf visits
              </th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day} className="border-t border-slate-100">
                <th scope="row" className="py-1 pr-4 text-left font-normal">
                  {d.day}
                </th>
                <td className="py-1 text-right tabular-nums">{d.visits}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export interface SalesPoint {
  /** The sales bucket's first instant. */
  start: Date;
  units: number;
  /** 0–1; null when the period has fewer than k interactions. */
  rate: number | null;
}

/**
 * Units sold per sales bucket (bars, one bucket wide on a time axis) against the negative-expression rate of the same
 * bucket (line, right axis, broken over buckets without sales). The points must all be of `time.bucket`.
 */
export function SalesChart({
  points,
  time: axis,
  testId,
}: {
  points: SalesPoint[];
  time: TimeAxis;
  testId?: string;
}) {
  const { ref, time } = useTimeAxis(axis, 44 + 44 + 8);
  const data = withGaps(
    points.map((p) => ({
      t: time.x(p.start.getTime()),
      units: p.units as number | null,
      rate: p.rate === null ? null : Math.round(p.rate * 1000) / 10,
    })),
    time.bucketMs,
    { units: null, rate: null },
  );
  return (
    <div style={{ height: 260 }} aria-hidden data-testid={testId} ref={ref}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis {...timeXAxisProps(time)} />
          <YAxis yAxisId="units" allowDecimals={false} tick={{ fontSize: 11 }} width={44} />
          <YAxis
            yAxisId="rate"
            orientation="right"
            unit="%"
            domain={[0, 100]}
            tick={{ fontSize: 11 }}
            width={44}
          />
          <Tooltip labelFormatter={(t) => time.tickFormatter(Number(t))} />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          <Bar
            yAxisId="units"
            dataKey="units"
            name="units sold"
            fill="#64748b"
            barSize={time.barSize}
            isAnimationActive={false}
          />
          <Line
            yAxisId="rate"
            dataKey="rate"
            name="negative-expression rate %"
            stroke="#dc2626"
            strokeWidth={2}
            connectNulls={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
