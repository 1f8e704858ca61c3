"use client";

import { useState } from "react";
import { formErrors } from "~/lib/form-errors";
import { button, focusRing, input, secondaryButton } from "~/lib/classes";
import { dropLastCorner, MIN_CORNERS } from "../floor-plan/polygon-edit";
import { Field } from "../ui/field";
import { CornersTable } from "./corners-table";
import { ShelfLineField } from "./shelf-line-field";
import { SlotsTable } from "./slots-table";
import type { ZoneDraftState } from "./use-zone-draft";
import { ZONE_FIELDS, ZoneActions } from "./zone-actions";
import type { ZoneDraft } from "./zone-draft";

/**
 * The open zone's card: while its outline is drawn, finish / undo / cancel; then its name, staff-only flag,
 * corners, shelf line and products, what keeps it from being saved, and save / delete.
 */
export function ZonePanel({
  storeSlug,
  floorPlanId,
  zone,
  draft,
  items,
  onClose,
  onMessage,
}: {
  storeSlug: string;
  floorPlanId: string;
  zone: ZoneDraftState;
  draft: ZoneDraft;
  items: readonly { id: string; sku: string; name: string }[];
  onClose: () => void;
  onMessage: (message: string) => void;
}) {
  const { drawing, problems } = zone;
  // The server's refusal of the last save, beside the fields it names, until the zone is changed again.
  const [saveError, setSaveError] = useState<unknown>(null);
  const fields = formErrors(saveError, ZONE_FIELDS).fields;
  const update: typeof zone.update = (patch) => {
    setSaveError(null);
    zone.update(patch);
  };
  return (
    <div className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="font-semibold">{draft.id ? `Zone “${draft.name}”` : "New zone"}</h2>
      {drawing ? (
        <div className="flex gap-2">
          <button
            type="button"
            className={button}
            disabled={draft.polygon.length < MIN_CORNERS}
            onClick={zone.finishOutline}
          >
            Finish outline
          </button>
          <button
            type="button"
            className={secondaryButton}
            disabled={!draft.polygon.length}
            onClick={() => update({ polygon: dropLastCorner(draft.polygon) })}
          >
            Undo corner
          </button>
          <button type="button" className={secondaryButton} onClick={onClose}>
            Cancel
          </button>
        </div>
      ) : (
        <>
          <Field label="Name" error={fields.name}>
            <input
              className={input}
              value={draft.name}
              maxLength={100}
              onChange={(e) => update({ name: e.currentTarget.value })}
            />
          </Field>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={draft.staffOnly}
              onChange={(e) => update({ staffOnly: e.currentTarget.checked })}
              className={focusRing}
            />
            Staff only (stock rooms, tills): faces here are never analysed
          </label>
          {fields.staffOnly ? <p className="text-xs font-medium text-red-700">{fields.staffOnly}</p> : null}
          <CornersTable
            polygon={draft.polygon}
            error={fields.polygon}
            onChange={(polygon) => update({ polygon })}
          />
          <ShelfLineField
            draft={draft}
            error={fields.shelfLine}
            onChange={(shelfLine) => update({ shelfLine })}
          />
          <SlotsTable
            slots={draft.slots}
            staffOnly={draft.staffOnly}
            items={items}
            error={fields.slots}
            onChange={(slots) => update({ slots })}
          />
          {problems && problems.length ? (
            <ul className="list-disc space-y-0.5 pl-5 text-sm text-red-800" data-testid="zone-problems">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
          <ZoneActions
            storeSlug={storeSlug}
            floorPlanId={floorPlanId}
            draft={draft}
            canSave={!problems?.length}
            onSaveError={setSaveError}
            onSaved={(id, name) => {
              update({ id });
              onMessage(`Saved “${name}”. The camera agents reload it on their next config check.`);
            }}
            onDeleted={(n) => {
              onClose();
              onMessage(`Deleted the zone and ${n} recorded visits.`);
            }}
          />
        </>
      )}
    </div>
  );
}
