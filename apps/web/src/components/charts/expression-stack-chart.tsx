"use client";

import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { EXPRESSIONS, type Expression } from "@shelf/core";
import { withGaps } from "./time-axis";
import { timeXAxisProps, useTimeAxis, type TimeAxis } from "./use-time-axis";

/** The expression palette (globals.css), shared by every chart and the map. */
export const EXPRESSION_COLOR: Record<Expression, string> = {
  angry: "var(--color-angry)",
  disgust: "var(--color-disgust)",
  fear: "var(--color-fear)",
  happy: "var(--color-happy)",
  sad: "var(--color-sad)",
  surprise: "var(--color-surprise)",
  neutral: "var(--color-neutral)",
};

export interface StackRow {
  label: string;
  /** The bucket's first instant: needed when the chart has a time axis. */
  start?: Date;
  n: number;
  /** Interactions per dominant expression; null when hidden (n < k). */
  counts: Record<Expression, number> | null;
  /** Negative-expression rate 0–1, drawn as a line on the right axis when given. */
  rate?: number | null;
}

/**
 * Interactions per bucket stacked by dominant expression; a bucket with fewer than k interactions is one
 * grey "hidden" bar of its total. With `rate`, the negative-expression rate as a line (right axis, %). A table of the
 * same numbers follows for screen readers and keyboards. With `time`, the x-axis is a real time axis: each
 * bar is one bucket wide at its place in the range, missing buckets are gaps and the line breaks over them;
 * without it (hour of the day), the rows are categories.
 */
export function ExpressionStackChart({
  rows,
  k,
  caption,
  height = 280,
  testId,
  time: axis,
}: {
  rows: StackRow[];
  /** A time axis over the report's range; rows then need `start`. */
  time?: TimeAxis;
  k: number;
  caption: string;
  height?: number;
  testId?: string;
}) {
  const withRate = rows.some((r) => r.rate !== undefined);
  const { ref, time } = useTimeAxis(axis, 40 + (withRate ? 52 : 16));
  const points = rows.map((r) => ({
    label: r.label,
    t: time && r.start ? time.x(r.start.getTime()) : 0,
    ...(r.counts ?? {}),
    hidden: r.counts ? 0 : r.n,
    rate: r.rate === null || r.rate === undefined ? null : Math.round(r.rate * 1000) / 10,
  }));
  const data = time ? withGaps(points, time.bucketMs, { label: "", hidden: 0, rate: null }) : points;
  return (
    <figure className="space-y-2" data-testid={testId}>
      <div style={{ height }} aria-hidden ref={ref}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={{ top: 8, right: withRate ? 8 : 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            {time ? <XAxis {...timeXAxisProps(time)} /> : <XAxis dataKey="label" tick={{ fontSize: 11 }} />}
            <YAxis yAxisId="n" allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
            {withRate ? (
              <YAxis
                yAxisId="rate"
                orientation="right"
                unit="%"
                domain={[0, 100]}
                tick={{ fontSize: 11 }}
                width={44}
              />
            ) : null}
            <Tooltip labelFormatter={time ? (t) => time.tickFormatter(Number(t)) : undefined} />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
            {EXPRESSIONS.map((e) => (
              <Bar
                key={e}
                yAxisId="n"
                dataKey={e}
                stackId="n"
                fill={EXPRESSION_COLOR[e]}
                barSize={time?.barSize}
                isAnimationActive={false}
              />
            ))}
            <Bar
              yAxisId="n"
              dataKey="hidden"
              name={`hidden (n < ${k})`}
              stackId="n"
              fill="#cbd5e1"
              barSize={time?.barSize}
              isAnimationActive={false}
            />
            {withRate ? (
              <Line
                yAxisId="rate"
                dataKey="rate"
                name="negative-expression rate %"
                stroke="#0f172a"
                strokeWidth={2}
                dot={false}
                connectNulls={false}
                isAnimationActive={false}
              />
            ) : null}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="text-xs text-slate-500">{caption}</figcaption>
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-600">Data as a table</summary>
        <table className="mt-2 w-full text-xs">
          <thead>
            <tr className="text-left text-slate-500">
              <th scope="col" className="py-1 pr-2">
                Bucket
              </th>
              <th scope="col" className="py-1 pr-2 text-right">
                n
              </th>
              {EXPRESSIONS.map((e) => (
                <th key={e} scope="col" className="py-1 pr-2 text-right">
                  {e}
                </th>
              ))}
              {withRate ? (
                <th scope="col" className="py-1 text-right">
                  negative-expression rate
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label} className="border-t border-slate-100">
                <th scope="row" className="py-1 pr-2 text-left font-normal">
                  {r.label}
                </th>
                <td className="py-1 pr-2 text-right tabular-nums">{r.n}</td>
                {EXPRESSIONS.map((e) => (
                  <td key={e} className="py-1 pr-2 text-right tabular-nums">
                    {r.counts ? r.counts[e] : "—"}
                  </td>
                ))}
                {withRate ? (
                  <td className="py-1 text-right tabular-nums">
                    {r.rate == null ? "—" : `${(r.rate * 100).toFixed(0)} %`}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
