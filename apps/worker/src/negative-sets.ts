/** How long a store's negative set is reused by the live feed before it is read again, ms. */
export const NEGATIVE_SET_CACHE_MS = 30_000;

/**
 * The live feed's view of each store's negative set ("which dominant expressions count as negative"), read
 * through `read` and reused for `ttlMs`: the feed publishes once a second, and a settings change shows in it
 * within `ttlMs`. Interactions are not built from this cache (the visits processor reads the settings itself).
 *
 * @param read - the store's negative expressions (from its scoring settings).
 * @param ttlMs - how long an answer is reused, ms. Default {@link NEGATIVE_SET_CACHE_MS}.
 * @param clock - the time now, ms (tests pass their own).
 */
export function cachedNegativeSets(
  read: (storeId: string) => Promise<readonly string[]>,
  ttlMs = NEGATIVE_SET_CACHE_MS,
  clock: () => number = Date.now,
): (storeId: string) => Promise<ReadonlySet<string>> {
  const cache = new Map<string, { at: number; set: ReadonlySet<string> }>();
  return async (storeId) => {
    const hit = cache.get(storeId);
    if (hit && clock() - hit.at < ttlMs) return hit.set;
    const set = new Set<string>(await read(storeId));
    cache.set(storeId, { at: clock(), set });
    return set;
  };
}
