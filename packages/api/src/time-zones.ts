/**
 * The time zones a store may be set to: the IANA zones this runtime's Intl knows, plus "UTC" (which
 * `Intl.supportedValuesOf` leaves out). The settings form offers this list and the API validates against
 * the same list, so what can be picked is exactly what can be saved.
 */
let zones: readonly string[] | undefined;

/** Sorted store time-zone names (computed once). */
export function storeTimeZones(): readonly string[] {
  zones ??= [...new Set([...Intl.supportedValuesOf("timeZone"), "UTC"])].sort();
  return zones;
}

/**
 * The list's name for `tz`: itself, or the name ICU resolves an alias to ("Asia/Kolkata" → "Asia/Calcutta"
 * in some ICU versions); null when the runtime does not know it.
 */
export function canonicalTimeZone(tz: string): string | null {
  if (storeTimeZones().includes(tz)) return tz;
  try {
    const resolved = new Intl.DateTimeFormat("en", { timeZone: tz }).resolvedOptions().timeZone;
    return storeTimeZones().includes(resolved) ? resolved : null;
  } catch {
    return null;
  }
}

/** Whether `tz` is one of {@link storeTimeZones} (or an alias of one). */
export function isStoreTimeZone(tz: string): boolean {
  return canonicalTimeZone(tz) !== null;
}
