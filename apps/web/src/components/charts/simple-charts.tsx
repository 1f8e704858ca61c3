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

function summary(days: { day: string; visits: number }[]): string {
  if (!days.length) return "No shelf visits in this range.";
  const total = days.reduce((s, d) => s + d.visits, 0);
  const busiest = days.reduce((a, b) => (b.visits > a.visits ? b : a));
  return `${total} shelf visits over ${days.length} day${days.length === 1 ? "" : "s"} with visits (store time); busiest ${busiest.day} with ${busiest.visits}.`;
}

/** Shelf visits per day. */
export function DailyVisitsChart({
  days,
  testId,
}: {
  days: { day: string; visits: number }[];
  testId?: string;
}) {
  return (
    <figure className="space-y-2" data-testid={testId}>
      <div style={{ height: 220 }} aria-hidden>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={days} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="day" tick={{ fontSize: 11 }} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={48} />
            <Tooltip />
            <Bar dataKey="visits" name="shelf visits" fill="#334155" isAnimationActive={false} />
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
  label: string;
  units: number;
  /** 0–1; null when the period has fewer than k interactions. */
  rate: number | null;
}

/** Units sold per period (bars) against the rejection rate of the same period (line, right axis). */
export function SalesChart({ points, testId }: { points: SalesPoint[]; testId?: string }) {
  const data = points.map((p) => ({ ...p, rate: p.rate === null ? null : Math.round(p.rate * 1000) / 10 }));
  return (
    <div style={{ height: 260 }} aria-hidden data-testid={testId}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} />
          <YAxis yAxisId="units" allowDecimals={false} tick={{ fontSize: 11 }} width={44} />
          <YAxis
            yAxisId="rate"
            orientation="right"
            unit="%"
            domain={[0, 100]}
            tick={{ fontSize: 11 }}
            width={44}
          />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          <Bar yAxisId="units" dataKey="units" name="units sold" fill="#64748b" isAnimationActive={false} />
          <Line
            yAxisId="rate"
            dataKey="rate"
            name="rejection %"
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
