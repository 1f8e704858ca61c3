"use client";

import { useMemo, useState } from "react";
import { draftFromZone, draftProblems, emptyDraft, type DraftContext, type ZoneDraft } from "./zone-draft";

/**
 * The zone being edited: its draft, whether its outline is still being drawn, and what keeps it from being
 * saved (null while drawing or with nothing open). `session` changes whenever another zone is opened, so
 * the editing panel can be keyed on it and start fresh (its mutations and confirmations reset). `context`
 * (the floor plan and its zones) lets the problems include corners off the plan and overlaps.
 */
export function useZoneDraft(context?: DraftContext) {
  const [draft, setDraft] = useState<ZoneDraft | null>(null);
  const [drawing, setDrawing] = useState(false);
  const [session, setSession] = useState(0);
  const problems = useMemo(
    () => (draft && !drawing ? draftProblems(draft, context) : null),
    [draft, drawing, context],
  );
  return {
    draft,
    drawing,
    problems,
    session,
    /** Edits a saved zone, or closes the editor (null). */
    open(zone: Parameters<typeof draftFromZone>[0] | null) {
      setDrawing(false);
      setSession((s) => s + 1);
      setDraft(zone ? draftFromZone(zone) : null);
    },
    /** Starts drawing a new zone's outline. */
    startNew() {
      setSession((s) => s + 1);
      setDraft(emptyDraft());
      setDrawing(true);
    },
    /** Closes the outline: the zone's details can be edited. */
    finishOutline() {
      setDrawing(false);
    },
    /** Changes part of the draft. */
    update(patch: Partial<ZoneDraft>) {
      setDraft((d) => d && { ...d, ...patch });
    },
  };
}

export type ZoneDraftState = ReturnType<typeof useZoneDraft>;
