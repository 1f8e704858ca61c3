import { useId } from "react";
import { dangerButton, input, secondaryButton, td } from "~/lib/classes";
import { DataTable, rowClass } from "../ui/data-table";
import { nextSlot, type DraftSlot } from "./zone-draft";

const COLUMNS = [
  { label: "Product" },
  { label: "From" },
  { label: "To" },
  { label: "Level" },
  { label: "Remove", srOnly: true },
];

/** The products along the zone's shelf: which, from where to where (0…1), on which level. */
export function SlotsTable({
  slots,
  staffOnly,
  items,
  error,
  onChange,
}: {
  slots: readonly DraftSlot[];
  /** What the server refused about the products. */
  error?: string;
  /** Staff-only zones hold no products: the table is disabled. */
  staffOnly: boolean;
  items: readonly { id: string; sku: string; name: string }[];
  onChange: (slots: DraftSlot[]) => void;
}) {
  const update = (i: number, patch: Partial<DraftSlot>) =>
    onChange(slots.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const next = items.length ? nextSlot(slots, items[0]!.id) : null;
  const errorId = useId();
  return (
    <fieldset className="space-y-2" disabled={staffOnly} aria-describedby={error ? errorId : undefined}>
      <legend className="text-sm font-medium">Products on the shelf</legend>
      {error ? (
        <p id={errorId} className="text-xs font-medium text-red-700">
          {error}
        </p>
      ) : null}
      <DataTable
        columns={COLUMNS}
        headClassName="bg-slate-100 text-xs text-slate-600"
        rows={slots}
        rowKey={(_, i) => i}
        empty={
          <p className="text-xs text-slate-500">
            {staffOnly ? "Staff-only zones hold no products." : "No products placed yet."}
          </p>
        }
        renderRow={(s, i) => (
          <tr className={rowClass}>
            <td className={td}>
              <select
                className={`${input} w-36`}
                value={s.itemId}
                onChange={(e) => update(i, { itemId: e.currentTarget.value })}
                aria-label={`Slot ${i + 1} product`}
              >
                {items.map((it) => (
                  <option key={it.id} value={it.id}>
                    {it.name} ({it.sku})
                  </option>
                ))}
              </select>
            </td>
            {(["start", "end"] as const).map((k) => (
              <td key={k} className={td}>
                <input
                  type="number"
                  min={0}
                  max={1}
                  step={0.05}
                  value={s[k]}
                  className={`${input} w-16`}
                  aria-label={`Slot ${i + 1} ${k}`}
                  onChange={(e) =>
                    Number.isFinite(e.currentTarget.valueAsNumber) &&
                    update(i, { [k]: e.currentTarget.valueAsNumber })
                  }
                />
              </td>
            ))}
            <td className={td}>
              <input
                type="number"
                min={0}
                max={50}
                step={1}
                value={s.level}
                className={`${input} w-14`}
                aria-label={`Slot ${i + 1} level`}
                onChange={(e) =>
                  Number.isInteger(e.currentTarget.valueAsNumber) &&
                  update(i, { level: e.currentTarget.valueAsNumber })
                }
              />
            </td>
            <td className={td}>
              <button
                type="button"
                className={dangerButton}
                onClick={() => onChange(slots.filter((_, j) => j !== i))}
                aria-label={`Remove slot ${i + 1}`}
              >
                ×
              </button>
            </td>
          </tr>
        )}
      />
      <button
        type="button"
        className={secondaryButton}
        disabled={!next}
        onClick={() => next && onChange([...slots, next])}
      >
        Place a product
      </button>
    </fieldset>
  );
}
