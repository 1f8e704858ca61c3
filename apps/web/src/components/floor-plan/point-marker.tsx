import type { Xy } from "./geometry";

/**
 * A numbered, coloured dot (e.g. one side of a calibration point pair), in the drawing's own units: `r` is
 * the dot's radius in those units.
 */
export function PointMarker({
  at,
  r,
  color,
  label,
  onDark = false,
}: {
  at: Xy;
  r: number;
  color: string;
  label: string;
  /** The label is drawn on a photo: white with a black outline, readable on anything. */
  onDark?: boolean;
}) {
  return (
    <g>
      <circle
        cx={at.x}
        cy={at.y}
        r={r}
        fill={color}
        stroke="white"
        strokeWidth={2}
        vectorEffect="non-scaling-stroke"
      />
      <text
        x={at.x + r * 1.3}
        y={at.y - r * 1.3}
        fontSize={r * 2.4}
        {...(onDark
          ? { fill: "white", stroke: "black", strokeWidth: 0.5, paintOrder: "stroke" }
          : { fill: "#0f172a" })}
      >
        {label}
      </text>
    </g>
  );
}
