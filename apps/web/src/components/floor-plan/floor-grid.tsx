/** Grid lines every metre across a floor plan (SVG, FloorM user units); hairlines at any zoom. */
export function FloorGrid({
  widthM,
  heightM,
  stroke = "#e2e8f0",
}: {
  widthM: number;
  heightM: number;
  /** Line colour (default slate-200). */
  stroke?: string;
}) {
  const line = { stroke, strokeWidth: 1, vectorEffect: "non-scaling-stroke" } as const;
  return (
    <g aria-hidden>
      {Array.from({ length: Math.floor(widthM) }, (_, x) => (
        <line key={`x${x}`} x1={x + 1} y1={0} x2={x + 1} y2={heightM} {...line} />
      ))}
      {Array.from({ length: Math.floor(heightM) }, (_, y) => (
        <line key={`y${y}`} x1={0} y1={y + 1} x2={widthM} y2={y + 1} {...line} />
      ))}
    </g>
  );
}
