"use client";

import { useEffect, useRef, useState, type RefObject } from "react";
import { barWidthPx, BUCKET_MS, formatTime, timeTicks, type Bucket } from "./time-axis";

/** The time axis of a chart: its range (ms), bucket and the store's time zone for labels. */
export interface TimeAxis {
  from: number;
  to: number;
  bucket: Bucket;
  timeZone: string;
}

/** What the x-axis and bars of a time chart are drawn with. */
export interface ScaledTimeAxis {
  bucketMs: number;
  domain: [number, number];
  ticks: number[];
  tickFormatter: (ms: number) => string;
  /** px */
  barSize: number;
  /** Where a bucket starting at `startMs` is drawn: its middle. */
  x: (startMs: number) => number;
}

/** The props of a recharts `<XAxis>` on this time axis: numeric, time-scaled, one tick label per `ticks`. */
export function timeXAxisProps(time: ScaledTimeAxis) {
  return {
    dataKey: "t",
    type: "number",
    scale: "time",
    domain: time.domain,
    ticks: time.ticks,
    tickFormatter: time.tickFormatter,
    allowDataOverflow: true,
    tick: { fontSize: 11 },
  } as const;
}

interface TimeAxisState<T> {
  /** To put on the chart's box, which is measured. */
  ref: RefObject<HTMLDivElement | null>;
  time: T;
}

/**
 * Measures the chart's box and gives what a numeric (time) x-axis and its bars need: domain, ticks, tick
 * labels and a bar width of one bucket. `reservedPx` is the width taken by the y-axes and margins.
 */
export function useTimeAxis(axis: TimeAxis, reservedPx: number): TimeAxisState<ScaledTimeAxis>;
export function useTimeAxis(
  axis: TimeAxis | undefined,
  reservedPx: number,
): TimeAxisState<ScaledTimeAxis | null>;
export function useTimeAxis(
  axis: TimeAxis | undefined,
  reservedPx: number,
): TimeAxisState<ScaledTimeAxis | null> {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver((entries) => setWidth(entries[0]?.contentRect.width ?? 0));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  if (!axis) return { ref, time: null };
  const bucketMs = BUCKET_MS[axis.bucket];
  const plot = Math.max(0, width - reservedPx);
  return {
    ref,
    time: {
      bucketMs,
      domain: [axis.from, axis.to],
      ticks: timeTicks(axis.from, axis.to, axis.bucket, Math.max(2, Math.floor(plot / 80))),
      tickFormatter: (ms: number) => formatTime(ms, axis.bucket, axis.timeZone),
      barSize: barWidthPx(plot, axis.to - axis.from, bucketMs),
      x: (startMs: number) => startMs + bucketMs / 2,
    },
  };
}
