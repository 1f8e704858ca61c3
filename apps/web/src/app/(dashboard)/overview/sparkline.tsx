import { sparkGeometry } from "./sparkline-path";

/**
 * A small inline-SVG line of a product's daily negative-expression rate; gaps are days without a shown rate
 * (no interactions, or fewer than k). Decorative for screen readers: the label says what it shows.
 */
export function Sparkline({
  values,
  days,
  width = 96,
  height = 24,
}: {
  values: readonly (number | null)[];
  days: readonly string[];
  width?: number;
  height?: number;
}) {
  const { path, dots } = sparkGeometry(values, { width, height });
  const shown = values.filter((v) => v !== null).length;
  const label = `Daily negative-expression rate, ${days[0] ?? ""} to ${days.at(-1) ?? ""}: ${shown} of ${values.length} days shown`;
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      className="overflow-visible text-red-600"
      data-testid="sparkline"
    >
      <title>{label}</title>
      <line x1={0} x2={width} y1={height - 2} y2={height - 2} className="stroke-slate-200" strokeWidth={1} />
      {path ? (
        <path d={path} fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinejoin="round" />
      ) : null}
      {dots.map((d) => (
        <circle key={`${d.x}-${d.y}`} cx={d.x} cy={d.y} r={1.8} fill="currentColor" />
      ))}
    </svg>
  );
}
