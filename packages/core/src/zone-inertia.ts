/**
 * Zone inertia (as Frigate's `inertia`): a track's place — which zone and item it is at, or none — changes
 * only after the new place has been seen in `frames` consecutive analysed frames. A face jittering across a
 * zone edge, or a single frame mapped through a bad box, therefore does not end one visit and start
 * another. Pure state per track; the caller feeds one observation per frame the track is seen.
 */

/** Where a track is: a zone and an item in it (either may be null: no zone, or a zone with no item there). */
export interface Place {
  zoneId: string | null;
  itemId: string | null;
}

export interface InertiaState {
  /** The place in force. */
  place: Place;
  /** A different place seen lately, and in how many consecutive frames. */
  candidate: Place | null;
  streak: number;
  /** When the candidate was first seen in this streak (the caller's clock, e.g. ms of capture time). */
  candidateSince: number;
}

export function samePlace(a: Place, b: Place): boolean {
  return a.zoneId === b.zoneId && a.itemId === b.itemId;
}

/**
 * Feeds one observation made at time `at`. A new track starts at no place, so it too must spend `frames`
 * frames at its first place before it counts there. Leaving a place for another (or for none) takes
 * `switchFrames`: ending a visit early splits it, which costs more than starting one a frame late.
 *
 * @param frames - consecutive frames a track at no place needs to enter one (≥ 1; 1 = no inertia). Default 3.
 * @param switchFrames - consecutive frames a track at a place needs to move to another. Default `frames`.
 * @returns the new state; `changed` when the place in force changed, with `since`: when the new place was
 *   first seen in the streak that won (so a visit's dwell starts there, not `frames` frames later).
 */
export function observePlace(
  state: InertiaState | undefined,
  seen: Place,
  at: number,
  frames = 3,
  switchFrames = frames,
): { state: InertiaState; changed: boolean; since: number } {
  const current = state ?? {
    place: { zoneId: null, itemId: null },
    candidate: null,
    streak: 0,
    candidateSince: at,
  };
  const atNoPlace = current.place.zoneId === null && current.place.itemId === null;
  const need = Math.max(1, Math.floor(atNoPlace ? frames : switchFrames));
  if (samePlace(current.place, seen))
    return { state: { ...current, candidate: null, streak: 0 }, changed: false, since: at };
  const continuing = current.candidate !== null && samePlace(current.candidate, seen);
  const streak = continuing ? current.streak + 1 : 1;
  const candidateSince = continuing ? current.candidateSince : at;
  if (streak >= need)
    return {
      state: { place: seen, candidate: null, streak: 0, candidateSince: at },
      changed: true,
      since: candidateSince,
    };
  return {
    state: { place: current.place, candidate: seen, streak, candidateSince },
    changed: false,
    since: at,
  };
}
