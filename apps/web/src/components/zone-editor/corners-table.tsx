import type { FloorMPoint } from "@shelf/core";
import { dangerButton, input } from "~/lib/classes";
import { MIN_CORNERS, removeCorner, setCornerAxis } from "../floor-plan/polygon-edit";

/** The zone's corners as numbers to type (metres), folded away; a corner can go while three remain. */
export function CornersTable({
  polygon,
  onChange,
}: {
  polygon: readonly FloorMPoint[];
  onChange: (polygon: FloorMPoint[]) => void;
}) {
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-slate-700">Corners ({polygon.length}), metres</summary>
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
