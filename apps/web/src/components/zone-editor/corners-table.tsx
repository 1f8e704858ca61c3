import type { FloorMPoint } from "@shelf/core";
import { useId } from "react";
import { dangerButton, input } from "~/lib/classes";
import { MIN_CORNERS, removeCorner, setCornerAxis } from "../floor-plan/polygon-edit";

/** The zone's corners as numbers to type (metres), folded away; a corner can go while three remain. */
export function CornersTable({
  polygon,
  error,
  onChange,
}: {
  polygon: readonly FloorMPoint[];
  /** What the server refused about the outline (opens the table). */
  error?: string;
  onChange: (polygon: FloorMPoint[]) => void;
}) {
  const errorId = useId();
  return (
    <details
      className="text-sm"
      open={error ? true : undefined}
      aria-describedby={error ? errorId : undefined}
    >
      <summary className="cursor-pointer text-slate-700">Corners ({polygon.length}), metres</summary>
      {error ? (
        <p id={errorId} className="mt-1 text-xs font-medium text-red-700">
          {error}
        </p>
      ) : null}
      <table className="mt-2 text-xs">
        <tbody>
          {polygon.map((p, i) => (
            <tr key={i}>
              <th scope="row" className="pr-2 text-left font-normal">
                {i + 1}
              </th>
              {(["x", "y"] as const).map((axis) => (
                <td key={axis} className="pr-2">
                  <input
                    type="number"
                    step={0.05}
                    value={p[axis]}
                    aria-label={`Corner ${i + 1} ${axis}`}
                    className={`${input} w-20`}
                    onChange={(e) => {
                      const v = e.currentTarget.valueAsNumber;
                      if (Number.isFinite(v)) onChange(setCornerAxis(polygon, i, axis, v));
                    }}
                  />
                </td>
              ))}
              <td>
                <button
                  type="button"
                  className={dangerButton}
                  disabled={polygon.length <= MIN_CORNERS}
                  onClick={() => onChange(removeCorner(polygon, i))}
                  aria-label={`Remove corner ${i + 1}`}
                >
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
