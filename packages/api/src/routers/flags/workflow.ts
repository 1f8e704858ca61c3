/**
 * A flag's two lives, and how they meet:
 * - **the worker's**: it raises a flag when an item's lower bound crosses the threshold that applies and
 *   clears it (`clearedAt`) when the bound drops below threshold − hysteresis (`decideFlag`, `@shelf/core`).
 *   Only the worker does that; surveys run while a flag is open.
 * - **people's** (this router): acknowledge ("we've seen it"), a note, resolve ("we've done what we can"),
 *   reopen. Who and when is stored on the flag and in the audit log.
 *
 * They never overwrite each other. Resolving does not clear: a resolved flag the worker still holds open is
 * shown as "resolved by X, still above threshold" (and its survey keeps running), so a fix that did not work
 * stays visible. Clearing does not resolve: a cleared flag keeps whatever workflow it had. When the item
 * crosses the threshold again the worker raises a NEW flag: it starts as "new" and alerts again.
 */
export type FlagStatus =
  /** Open, nobody has acknowledged it. */
  | "new"
  /** Open, acknowledged, not resolved. */
  | "acknowledged"
  /** Resolved by a person while the worker still holds it open (still above threshold). */
  | "resolved-open"
  /** Cleared by the worker (numbers back below threshold); `resolvedAt` says whether someone resolved it. */
  | "cleared";

/** The status of a flag from its timestamps (see the module comment). */
export function flagStatus(f: {
  clearedAt: Date | null;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
}): FlagStatus {
  if (f.clearedAt) return "cleared";
  if (f.resolvedAt) return "resolved-open";
  return f.acknowledgedAt ? "acknowledged" : "new";
}
