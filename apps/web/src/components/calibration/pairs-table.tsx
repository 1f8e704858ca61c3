import { dangerButton, input, td } from "~/lib/classes";
import { DataTable, rowClass } from "../ui/data-table";
import type { CalibrationFit } from "./calibration-fit";
import { pairColor, type CompletePair, type DraftPair, type PairSide } from "./point-pairs";
import type { PointPairsState } from "./use-point-pairs";

const COLUMNS = [
  { label: "#" },
  { label: "Frame x (px)" },
  { label: "Frame y (px)" },
  { label: "Floor x (m)" },
  { label: "Floor y (m)" },
  { label: "Error", className: "text-right" },
  { label: "Remove", srOnly: true },
];

/** Every pair, editable (frame in px, floor in m), with its transfer error and whether it is an outlier. */
export function PairsTable({
  pairs,
  complete,
  fit,
}: {
  pairs: PointPairsState;
  complete: readonly CompletePair[];
  fit: CalibrationFit;
}) {
  return (
    <DataTable
      columns={COLUMNS}
      caption="Point pairs: frame position in pixels and floor position in metres (editable)"
      testId="pairs-table"
      rows={pairs.pairs}
      rowKey={(_, i) => i}
      renderRow={(p, i) => {
        const ci = complete.indexOf(p as CompletePair);
        const residual = fit?.ok && ci >= 0 ? fit.residuals[ci] : undefined;
        return (
          <tr className={rowClass} data-testid="pair-row">
            <th scope="row" className={`${td} font-medium`}>
              <span
                className="mr-1 inline-block h-2.5 w-2.5 rounded-full"
                style={{ background: pairColor(i) }}
                aria-hidden
              />
              {i + 1}
            </th>
            <CoordinateCell pair={p} i={i} side="frame" axis="x" onEdit={pairs.edit} />
            <CoordinateCell pair={p} i={i} side="frame" axis="y" onEdit={pairs.edit} />
            <CoordinateCell pair={p} i={i} side="floor" axis="x" onEdit={pairs.edit} />
            <CoordinateCell pair={p} i={i} side="floor" axis="y" onEdit={pairs.edit} />
            <td className={`${td} text-right tabular-nums`}>
              {residual === undefined ? "—" : `${(residual * 100).toFixed(1)} cm`}
              {fit?.ok && ci >= 0 && !fit.estimate.inliers.includes(ci) ? (
                <span className="ml-1 text-red-700">outlier</span>
              ) : null}
            </td>
            <td className={td}>
              <button
                type="button"
                className={dangerButton}
                onClick={() => pairs.remove(i)}
                aria-label={`Remove pair ${i + 1}`}
              >
                Remove
              </button>
            </td>
          </tr>
        );
      }}
    />
  );
}

function CoordinateCell({
  pair,
  i,
  side,
  axis,
  onEdit,
}: {
  pair: DraftPair;
  i: number;
  side: PairSide;
  axis: "x" | "y";
  onEdit: PointPairsState["edit"];
}) {
  return (
    <td className={td}>
      <input
        type="number"
        step={side === "frame" ? 1 : 0.01}
        value={pair[side]?.[axis] ?? ""}
        placeholder="click"
        onChange={(e) => onEdit(i, side, axis, e.currentTarget.valueAsNumber)}
        className={`${input} w-24`}
        aria-label={`Pair ${i + 1} ${side} ${axis}`}
      />
    </td>
  );
}
