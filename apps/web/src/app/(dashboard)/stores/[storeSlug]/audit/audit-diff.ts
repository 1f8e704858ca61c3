/**
 * An audit entry's before and after as lines a person reads: only the fields that changed, ids shown by
 * name where the page knows it, "—" for a value that is absent (null, undefined, or a field the entry did
 * not have), lists and outlines summarised.
 */

/** One changed field. `before` is null for an entry that created something, `after` for one that deleted it. */
export interface DiffLine {
  field: string;
  before: string | null;
  after: string | null;
}

/** What an absent value reads as. */
export const ABSENT = "—";

/** Field names as people say them; others are split from camelCase ("scoreWindowHours" → "score window hours"). */
const FIELD_LABEL: Record<string, string> = {
  itemId: "product",
  zoneId: "zone",
  floorPlanId: "floor plan",
  cameraId: "camera",
  kioskId: "kiosk",
  userId: "user",
  storeId: "applies to",
  polygon: "outline",
  shelfLine: "shelf line",
  staffOnly: "staff only",
  minSample: "minimum sample",
  kAnonymity: "k (smallest group shown)",
  widthM: "width (m)",
  heightM: "depth (m)",
  widthPx: "frame width (px)",
  heightPx: "frame height (px)",
  analysisFps: "frames per second",
  sourceUrl: "source",
};

const PERCENT_FIELDS = new Set(["threshold", "hysteresis"]);

/** A field's label for people. */
export function fieldLabel(key: string): string {
  return FIELD_LABEL[key] ?? key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}

function isAbsent(v: unknown): boolean {
  return v === null || v === undefined || v === "";
}

/** One value for people; `names` maps ids to names. */
export function showValue(key: string, value: unknown, names: Readonly<Record<string, string>>): string {
  if (isAbsent(value)) return key === "storeId" ? "every store" : ABSENT;
  if (typeof value === "string") {
    if (key.endsWith("Id") || key === "id") return names[value] ?? (key === "storeId" ? "this store" : value);
    return value;
  }
  // Rule thresholds are stored as fractions and edited as percentages.
  if (typeof value === "number" && PERCENT_FIELDS.has(key)) return `${Math.round(value * 1000) / 10} %`;
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e4) / 1e4);
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) {
    if (key === "polygon") return `${value.length} corners`;
    if (key === "shelfLine") return "custom";
    if (key === "slots")
      return value.length
        ? value
            .map((s: { itemId?: string; start?: number; end?: number }) => {
              const name = s.itemId ? (names[s.itemId] ?? s.itemId) : "?";
              return s.start !== undefined && s.end !== undefined
                ? `${name} ${Math.round(s.start * 100)}–${Math.round(s.end * 100)} %`
                : name;
            })
            .join(", ")
        : "none";
    if (value.every((v) => typeof v === "string" || typeof v === "number"))
      return value.length ? value.join(", ") : "none";
    return `${value.length} entries`;
  }
  return JSON.stringify(value);
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/**
 * The changed fields of an entry. For an update, fields whose values differ (absent and null are the same);
 * for a creation, the fields it set; for a deletion, the fields it had. A value that is not an object is
 * one line named "value".
 */
export function auditDiff(
  before: unknown,
  after: unknown,
  names: Readonly<Record<string, string>> = {},
): DiffLine[] {
  const b = asRecord(before);
  const a = asRecord(after);
  if (!b && !a) {
    if (isAbsent(before) && isAbsent(after)) return [];
    return [
      {
        field: "value",
        before: isAbsent(before) ? null : showValue("value", before, names),
        after: isAbsent(after) ? null : showValue("value", after, names),
      },
    ];
  }
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
  const lines: DiffLine[] = [];
  for (const key of keys) {
    const was = b?.[key];
    const is = a?.[key];
    if (b && a) {
      if (isAbsent(was) && isAbsent(is)) continue;
      if (JSON.stringify(was) === JSON.stringify(is)) continue;
      lines.push({
        field: fieldLabel(key),
        before: showValue(key, was, names),
        after: showValue(key, is, names),
      });
    } else if (a) {
      if (isAbsent(is) && key !== "storeId") continue;
      lines.push({ field: fieldLabel(key), before: null, after: showValue(key, is, names) });
    } else {
      if (isAbsent(was) && key !== "storeId") continue;
      lines.push({ field: fieldLabel(key), before: showValue(key, was, names), after: null });
    }
  }
  return lines;
}
