import type { StoreContext } from "../../trpc.ts";
import { type AuditLogInput } from "./schemas.ts";

export interface AuditEntryView {
  id: string;
  at: Date;
  action: string;
  entity: string;
  entityId: string | null;
  /** null: the system (e.g. the retention job), or a deleted user. */
  user: { email: string; name: string } | null;
  before: unknown;
  after: unknown;
  /** What the entry is about, by name, when it still exists (e.g. the zone's name for a ShelfZone). */
  entityName: string | null;
}

/** Audit fields that hold ids, and the table to find their names in. */
const ID_FIELDS = {
  itemId: "item",
  zoneId: "zone",
  floorPlanId: "floorPlan",
  cameraId: "camera",
  kioskId: "kiosk",
  userId: "user",
} as const;
type NameTable = (typeof ID_FIELDS)[keyof typeof ID_FIELDS];

const ENTITY_TABLE: Record<string, NameTable> = {
  Item: "item",
  ShelfZone: "zone",
  FloorPlan: "floorPlan",
  Camera: "camera",
  Kiosk: "kiosk",
  User: "user",
};

/** Ids under the id fields of an audit value, nested ones too (a zone's `slots[].itemId`). */
function collectIds(value: unknown, into: Record<NameTable, Set<string>>, depth = 0): void {
  if (depth > 4 || value === null || typeof value !== "object") return;
  if (Array.isArray(value)) return value.forEach((v) => collectIds(v, into, depth + 1));
  for (const [key, v] of Object.entries(value)) {
    const table = ID_FIELDS[key as keyof typeof ID_FIELDS];
    if (table && typeof v === "string") into[table].add(v);
    else collectIds(v, into, depth + 1);
  }
}

/**
 * Names for the ids a page of entries mentions (products, zones, floor plans, cameras, kiosks, users), so
 * the log reads "Cola 0.33 l", not an id. Deleted rows have no name: the page shows their id.
 */
async function namesFor(
  db: StoreContext["db"],
  rows: { entity: string; entityId: string | null; before: unknown; after: unknown }[],
): Promise<Record<string, string>> {
  const ids: Record<NameTable, Set<string>> = {
    item: new Set(),
    zone: new Set(),
    floorPlan: new Set(),
    camera: new Set(),
    kiosk: new Set(),
    user: new Set(),
  };
  for (const r of rows) {
    collectIds(r.before, ids);
    collectIds(r.after, ids);
    const table = ENTITY_TABLE[r.entity];
    if (table && r.entityId) ids[table].add(r.entityId);
  }
  const where = (t: NameTable) => ({ where: { id: { in: [...ids[t]] } }, select: { id: true, name: true } });
  const found = await Promise.all([
    ids.item.size ? db.item.findMany(where("item")) : [],
    ids.zone.size ? db.shelfZone.findMany(where("zone")) : [],
    ids.floorPlan.size ? db.floorPlan.findMany(where("floorPlan")) : [],
    ids.camera.size ? db.camera.findMany(where("camera")) : [],
    ids.kiosk.size ? db.kiosk.findMany(where("kiosk")) : [],
    ids.user.size ? db.user.findMany(where("user")) : [],
  ]);
  return Object.fromEntries(found.flat().map((r) => [r.id, r.name]));
}

/** The store's audit log, newest first, a page at a time, with the names of the ids the page mentions. */
export async function auditLog({
  ctx,
  input,
}: {
  ctx: Pick<StoreContext, "db" | "store">;
  input: AuditLogInput;
}): Promise<{ entries: AuditEntryView[]; nextCursor: string | null; names: Record<string, string> }> {
  const rows = await ctx.db.auditLog.findMany({
    where: { storeId: ctx.store.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    include: { user: { select: { email: true, name: true } } },
  });
  const page = rows.slice(0, input.limit);
  const names = await namesFor(ctx.db, page);
  return {
    names,
    entries: page.map((r) => ({
      id: r.id,
      at: r.createdAt,
      action: r.action,
      entity: r.entity,
      entityId: r.entityId,
      user: r.user,
      before: r.before,
      after: r.after,
      entityName: r.entityId ? (names[r.entityId] ?? null) : null,
    })),
    nextCursor: rows.length > input.limit ? page.at(-1)!.id : null,
  };
}
