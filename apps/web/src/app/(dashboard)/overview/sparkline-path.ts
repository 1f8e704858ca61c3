/**
 * The geometry of a sparkline, pure (unit-tested): points of a daily series in an SVG box, with gaps where a
 * day has no value (no interactions, or hidden under k) — a gap stays a gap, never a line drawn across it.
 */

export interface SparkGeometry {
  /** `d` of one path: a segment per run of consecutive values ("M x y L x y …"). */
  path: string;
  /** Lone values (a run of one) drawn as dots, which a path cannot show. */
  dots: { x: number; y: number }[];
}

/**
 * Lays `values` (rates 0…1, null = gap) out left to right over `width` × `height` px, 0 at the bottom and
 * `max` (default: the largest value, at least 0.05 so a flat low series is not blown up) at the top, inset by
 * `pad` px.
 */
export function sparkGeometry(
  values: readonly (number | null)[],
  opts: { width: number; height: number; pad?: number; max?: number },
): SparkGeometry {
  const pad = opts.pad ?? 2;
  const present = values.filter((v): v is number => v !== null);
  const max = opts.max ?? Math.max(0.05, ...present);
  const step = values.length > 1 ? (opts.width - 2 * pad) / (values.length - 1) : 0;
  const x = (i: number) => round(values.length > 1 ? pad + i * step : opts.width / 2);
  const y = (v: number) => round(opts.height - pad - (Math.min(v, max) / max) * (opts.height - 2 * pad));
  const runs: { x: number; y: number }[][] = [];
  let run: { x: number; y: number }[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (run.length) runs.push(run);
      run = [];
    } else run.push({ x: x(i), y: y(v) });
  });
  if (run.length) runs.push(run);
  return {
    path: runs
      .filter((r) => r.length > 1)
      .map((r) => r.map((p, i) => `${i === 0 ? "M" : "L"}${p.x} ${p.y}`).join(" "))
      .join(" "),
    dots: runs.filter((r) => r.length === 1).map((r) => r[0]!),
  };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
