import { button, input, secondaryButton } from "~/lib/classes";
import { Field } from "../ui/field";
import type { PointPairsState } from "./use-point-pairs";

/** Pair list actions, the head-plane height, and saving a new version. */
export function PairsToolbar({
  pairs,
  headHeightM,
  onHeadHeight,
  canSave,
  saving,
  nextVersion,
  onSave,
}: {
  pairs: PointPairsState;
  headHeightM: number;
  onHeadHeight: (m: number) => void;
  canSave: boolean;
  saving: boolean;
  nextVersion: number;
  onSave: () => void;
}) {
  return (
    <div className="flex flex-wrap items-end gap-3">
      <button type="button" className={secondaryButton} onClick={pairs.addEmpty}>
        Add a pair by hand
      </button>
      <button type="button" className={secondaryButton} onClick={pairs.reset}>
        Back to saved version
      </button>
      <button type="button" className={secondaryButton} onClick={pairs.clear}>
        Clear all
      </button>
      <Field label="Head height (m)">
        <input
          type="number"
          min={0.5}
          max={2.5}
          step={0.05}
          value={headHeightM}
          onChange={(e) =>
            Number.isFinite(e.currentTarget.valueAsNumber) && onHeadHeight(e.currentTarget.valueAsNumber)
          }
          className={`${input} w-24`}
        />
      </Field>
      <button
        type="button"
        className={button}
        disabled={!canSave || saving}
        onClick={onSave}
        data-testid="save-calibration"
      >
        {saving ? "Saving…" : `Save as version ${nextVersion}`}
      </button>
    </div>
  );
}
