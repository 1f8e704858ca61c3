import { input } from "~/lib/classes";
import { Field } from "../ui/field";
import { shelfLineEdge, shelfLineFromEdge, type ZoneDraft } from "./zone-draft";

/** Which edge of the zone is the shelf that products are placed along (default: the longest). */
export function ShelfLineField({
  draft,
  error,
  onChange,
}: {
  draft: ZoneDraft;
  /** What the server refused about the shelf line. */
  error?: string;
  onChange: (shelfLine: ZoneDraft["shelfLine"]) => void;
}) {
  const n = draft.polygon.length;
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Shelf</legend>
      <p className="text-xs text-slate-500">
        Products are placed along the shelf line ({draft.shelfLine ? "custom" : "the zone’s longest edge"}),
        from 0 at one end to 1 at the other.
      </p>
      {n >= 2 ? (
        <Field label="Shelf line" error={error}>
          <select
            className={input}
            value={shelfLineEdge(draft)}
            onChange={(e) => onChange(shelfLineFromEdge(draft.polygon, e.currentTarget.value))}
          >
            <option value="auto">Longest edge</option>
            {draft.polygon.map((_, i) => (
              <option key={i} value={i}>
                Edge {i + 1}–{((i + 1) % n) + 1}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
    </fieldset>
  );
}
