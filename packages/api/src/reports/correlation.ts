/**
 * Fewest overlapping periods for which a correlation is shown. With fewer, a coefficient is mostly noise
 * (with 3 periods of unrelated series, |r| > 0.9 happens 29 % of the time: 1 − (2/π)·asin 0.9), so the
 * report says how many periods there are instead.
 */
export const MIN_CORRELATION_PERIODS = 10;

/** Pearson's r of two equally long series; null when either is constant or fewer than 2 points. */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  const mx = xs.slice(0, n).reduce((a, b) => a + b, 0) / n;
  const my = ys.slice(0, n).reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/**
 * A correlation as a report shows it: `r` only with at least `min` overlapping periods (and neither series
 * constant); otherwise null, with how many periods there are and how many are needed.
 */
export function correlationOf(
  pairs: readonly { x: number; y: number }[],
  min: number = MIN_CORRELATION_PERIODS,
): { r: number | null; periods: number; needed: number } {
  const periods = pairs.length;
  const r =
    periods < min
      ? null
      : pearson(
          pairs.map((p) => p.x),
          pairs.map((p) => p.y),
        );
  return { r, periods, needed: min };
}
