"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorNotice } from "~/components/notice";
import { button, dangerButton, secondaryButton } from "~/lib/classes";
import { useTRPC } from "~/trpc/react";
import type { ZoneDraft } from "./zone-draft";

/** Save the zone, or delete it (with its recorded visits) after a confirmation. */
export function ZoneActions({
  storeSlug,
  floorPlanId,
  draft,
  canSave,
  onSaved,
  onDeleted,
}: {
  storeSlug: string;
  floorPlanId: string;
  draft: ZoneDraft;
  canSave: boolean;
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
              { onSuccess: ({ id }) => onSaved(id, name) },
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
      {save.error ? <ErrorNotice>{save.error.message}</ErrorNotice> : null}
      {remove.error ? <ErrorNotice>{remove.error.message}</ErrorNotice> : null}
    </>
  );
}
