"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorNotice } from "~/components/notice";
import { button, dangerButton, secondaryButton } from "~/lib/classes";
import { formErrors } from "~/lib/form-errors";
import { useTRPC } from "~/trpc/react";
import type { ZoneDraft } from "./zone-draft";

/** The zone's inputs the editor shows a server refusal beside (the API's input names). */
export const ZONE_FIELDS = ["name", "polygon", "shelfLine", "staffOnly", "slots"];

/** Save the zone, or delete it (with its recorded visits) after a confirmation. */
export function ZoneActions({
  storeSlug,
  floorPlanId,
  draft,
  canSave,
  onSaveError,
  onSaved,
  onDeleted,
}: {
  storeSlug: string;
  floorPlanId: string;
  draft: ZoneDraft;
  canSave: boolean;
  /** The save's error (or null when it succeeds), for the fields it names. */
  onSaveError: (error: unknown) => void;
  onSaved: (id: string, name: string) => void;
  onDeleted: (interactions: number) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.zones.pathKey() });
  const save = useMutation(trpc.zones.save.mutationOptions({ onSuccess: invalidate }));
  const remove = useMutation(trpc.zones.delete.mutationOptions({ onSuccess: invalidate }));
  const [confirmDelete, setConfirmDelete] = useState(false);
  const name = draft.name.trim();

  return (
    <>
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={button}
          disabled={!canSave || save.isPending}
          onClick={() =>
            save.mutate(
              {
                storeSlug,
                zoneId: draft.id ?? undefined,
                floorPlanId,
                name,
                polygon: draft.polygon,
                shelfLine: draft.shelfLine,
                staffOnly: draft.staffOnly,
                slots: draft.slots,
              },
              {
                onSuccess: ({ id }) => {
                  onSaveError(null);
                  onSaved(id, name);
                },
                onError: onSaveError,
              },
            )
          }
        >
          {save.isPending ? "Saving…" : "Save zone"}
        </button>
        {draft.id ? (
          confirmDelete ? (
            <span className="flex items-center gap-2 text-sm">
              Delete it with its recorded visits?
              <button
                type="button"
                className={dangerButton}
                onClick={() =>
                  remove.mutate(
                    { storeSlug, zoneId: draft.id! },
                    { onSuccess: (r) => onDeleted(r.interactions) },
                  )
                }
              >
                Delete
              </button>
              <button type="button" className={secondaryButton} onClick={() => setConfirmDelete(false)}>
                Keep
              </button>
            </span>
          ) : (
            <button type="button" className={dangerButton} onClick={() => setConfirmDelete(true)}>
              Delete zone
            </button>
          )
        ) : null}
      </div>
      {save.error && formErrors(save.error, ZONE_FIELDS).form ? (
        <ErrorNotice>{formErrors(save.error, ZONE_FIELDS).form}</ErrorNotice>
      ) : null}
      {remove.error ? <ErrorNotice>{remove.error.message}</ErrorNotice> : null}
    </>
  );
}
