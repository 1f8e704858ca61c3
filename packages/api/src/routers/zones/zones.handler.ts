import { polygonsOverlap, ZShelfLine, ZShelfZone, ZZonePolygon, type FloorMPoint } from "@shelf/core";
import { Prisma, subtractZoneFromStoreHourlyRollups } from "@shelf/db";
import { ConflictError, DomainRuleError, NotFoundError, type StoreContext } from "../../trpc.ts";
import { writeAudit } from "../../audit.ts";
import {
  type CreateItemInput,
  type DeleteZoneInput,
  type SaveFloorPlanInput,
  type SaveZoneInput,
} from "./schemas.ts";
import { logger } from "../../logger.ts";

type Ctx = Pick<StoreContext, "db" | "store" | "user">;

export interface ZoneView {
  id: string;
  name: string;
  staffOnly: boolean;
  /** FloorM */
  polygon: FloorMPoint[];
  shelfLine: [FloorMPoint, FloorMPoint] | null;
  slots: { itemId: string; start: number; end: number; level: number }[];
}

/**
 * The part of the shared product catalogue a store sees and may place on its shelves: products on its
 * planograms and products its staff added. Other stores' products stay out of sight (names and SKUs of
 * what a competitor stocks); a super admin sees every product (to place a chain's shared product).
 */
export function storeCatalogue(storeId: string, superAdmin: boolean): Prisma.ItemWhereInput {
  return superAdmin
    ? {}
    : { OR: [{ slots: { some: { zone: { storeId } } } }, { createdByStoreId: storeId }] };
}

/** Floor plans of the store with their zones and planograms, and the store's catalogue to place on shelves. */
export async function listZones({ ctx }: { ctx: Pick<StoreContext, "db" | "store" | "user"> }) {
  const { db, store } = ctx;
  const [plans, items] = await Promise.all([
    db.floorPlan.findMany({
      where: { storeId: store.id },
      orderBy: { createdAt: "asc" },
      include: {
        zones: {
          orderBy: { name: "asc" },
          include: { slots: { orderBy: [{ level: "asc" }, { start: "asc" }] } },
        },
      },
    }),
    db.item.findMany({
      where: storeCatalogue(store.id, ctx.user.isSuperAdmin),
      orderBy: [{ category: "asc" }, { name: "asc" }],
      take: 5000,
      select: { id: true, sku: true, name: true, category: true },
    }),
  ]);
  return {
    floorPlans: plans.map((p) => ({
      id: p.id,
      name: p.name,
      widthM: p.widthM,
      heightM: p.heightM,
      zones: p.zones.flatMap((z): ZoneView[] => {
        const polygon = ZZonePolygon.safeParse(z.polygon);
        if (!polygon.success) {
          logger().error({ zoneId: z.id }, "zone has an invalid polygon; not editable here");
          return [];
        }
        const line = z.shelfLine === null ? null : ZShelfLine.safeParse(z.shelfLine).data;
        return [
          {
            id: z.id,
            name: z.name,
            staffOnly: z.staffOnly,
            polygon: polygon.data,
            shelfLine: line ?? null,
            slots: z.slots.map((s) => ({ itemId: s.itemId, start: s.start, end: s.end, level: s.level })),
          },
        ];
      }),
    })),
    items,
  };
}

function zoneAudit(
  z: { name: string; staffOnly: boolean; polygon: unknown; shelfLine: unknown; floorPlanId: string },
  slots: { itemId: string; start: number; end: number; level: number }[],
) {
  return {
    name: z.name,
    staffOnly: z.staffOnly,
    floorPlanId: z.floorPlanId,
    polygon: z.polygon,
    shelfLine: z.shelfLine,
    slots,
  };
}

/**
 * Creates or updates a shelf zone with its planogram, validated as the agent validates it (simple polygon,
 * non-overlapping slots per level). The agent reloads its mapping on its next config poll. Audited.
 */
export async function saveZone({ ctx, input }: { ctx: Ctx; input: SaveZoneInput }): Promise<{ id: string }> {
  const { db, store, user } = ctx;
  const checked = ZShelfZone.safeParse({
    id: input.zoneId ?? "new",
    name: input.name,
    polygon: input.polygon,
    shelfLine: input.shelfLine,
    staffOnly: input.staffOnly,
    slots: input.slots,
  });
  if (!checked.success) {
    const first = checked.error.issues[0]!;
    throw new DomainRuleError(
      checked.error.issues.map((i) => i.message).join("; "),
      first.path.filter((p): p is string | number => typeof p !== "symbol"),
    );
  }
  if (input.staffOnly && input.slots.length)
    throw new DomainRuleError("A staff-only zone is never analysed: remove its products first.", [
      "staffOnly",
    ]);
  const plan = await db.floorPlan.findUnique({
    where: { id: input.floorPlanId },
    select: { storeId: true, widthM: true, heightM: true },
  });
  if (!plan || plan.storeId !== store.id) throw new NotFoundError(`floor plan "${input.floorPlanId}"`);
  assertOnPlan(plan, input.polygon, "polygon");
  if (input.shelfLine) assertOnPlan(plan, input.shelfLine, "shelfLine");
  await assertNoOverlap(db, input);
  const itemIds = [...new Set(input.slots.map((s) => s.itemId))];
  const found = await db.item.count({
    where: { id: { in: itemIds }, ...storeCatalogue(store.id, user.isSuperAdmin) },
  });
  if (found !== itemIds.length)
    throw new NotFoundError("slots: one of the products (not in this store's catalogue)");
  return db.$transaction(async (tx) => {
    const data = {
      name: input.name,
      floorPlanId: input.floorPlanId,
      polygon: input.polygon,
      shelfLine: input.shelfLine ?? Prisma.JsonNull,
      staffOnly: input.staffOnly,
    };
    let before: ReturnType<typeof zoneAudit> | undefined;
    let id: string;
    if (input.zoneId) {
      const old = await tx.shelfZone.findUnique({ where: { id: input.zoneId }, include: { slots: true } });
      if (!old || old.storeId !== store.id) throw new NotFoundError(`zone "${input.zoneId}"`);
      before = zoneAudit(
        old,
        old.slots.map((s) => ({ itemId: s.itemId, start: s.start, end: s.end, level: s.level })),
      );
      await tx.shelfZone.update({ where: { id: old.id }, data });
      await tx.planogramSlot.deleteMany({ where: { zoneId: old.id } });
      id = old.id;
    } else {
      id = (await tx.shelfZone.create({ data: { ...data, storeId: store.id } })).id;
    }
    if (input.slots.length)
      await tx.planogramSlot.createMany({ data: input.slots.map((s) => ({ ...s, zoneId: id })) });
    await writeAudit(tx, {
      storeId: store.id,
      userId: user.id,
      action: input.zoneId ? "zone.update" : "zone.create",
      entity: "ShelfZone",
      entityId: id,
      before,
      after: zoneAudit({ ...data, shelfLine: input.shelfLine }, input.slots),
    });
    return { id };
  });
}

/**
 * Deletes a zone, its planogram, and (by cascade) its interactions and rollups, its share of the store's
 * hourly totals taken out: the history of that shelf goes with it. Audited with the number of interactions
 * removed.
 */
export async function deleteZone({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: DeleteZoneInput;
}): Promise<{ interactions: number }> {
  const { db, store, user } = ctx;
  return db.$transaction(async (tx) => {
    const zone = await tx.shelfZone.findUnique({ where: { id: input.zoneId }, include: { slots: true } });
    if (!zone || zone.storeId !== store.id) throw new NotFoundError(`zone "${input.zoneId}"`);
    // The store's hourly totals have no zone to cascade from: the zone's hours are taken out of them, with the
    // zone row locked first so that no worker adds to its hours in between (subtractZoneFromStoreHourlyRollups).
    await tx.$executeRaw`SELECT 1 FROM "ShelfZone" WHERE id = ${zone.id} FOR UPDATE`;
    await subtractZoneFromStoreHourlyRollups(tx, zone);
    const interactions = await tx.interaction.count({ where: { zoneId: zone.id } });
    await tx.shelfZone.delete({ where: { id: zone.id } });
    await writeAudit(tx, {
      storeId: store.id,
      userId: user.id,
      action: "zone.delete",
      entity: "ShelfZone",
      entityId: zone.id,
      before: {
        ...zoneAudit(
          zone,
          zone.slots.map((s) => ({ itemId: s.itemId, start: s.start, end: s.end, level: s.level })),
        ),
        interactions,
      },
    });
    return { interactions };
  });
}

/**
 * Adds a product to the catalogue, owned by this store (other stores do not see it; the SKU is unique
 * across stores, so a taken SKU is refused without saying whose it is). Audited.
 */
export async function createItem({ ctx, input }: { ctx: Ctx; input: CreateItemInput }) {
  const { db, store, user } = ctx;
  if (await db.item.findUnique({ where: { sku: input.sku }, select: { id: true } }))
    throw new ConflictError(`sku: a product with SKU ${input.sku} exists already`);
  return db.$transaction(async (tx) => {
    const item = await tx.item.create({
      data: { sku: input.sku, name: input.name, category: input.category, createdByStoreId: store.id },
      select: { id: true, sku: true, name: true, category: true },
    });
    await writeAudit(tx, {
      storeId: store.id,
      userId: user.id,
      action: "item.create",
      entity: "Item",
      entityId: item.id,
      after: item,
    });
    return item;
  });
}

/**
 * Refuses points outside the floor plan (FloorM, 0…widthM × 0…heightM), naming the field and the point: a
 * zone off the plan is never where a camera projects a shopper, and the map would draw it off the page.
 */
function assertOnPlan(
  plan: { widthM: number; heightM: number },
  points: readonly FloorMPoint[],
  field: "polygon" | "shelfLine",
): void {
  points.forEach((p, i) => {
    if (p.x < 0 || p.y < 0 || p.x > plan.widthM || p.y > plan.heightM)
      throw new DomainRuleError(
        `${field === "polygon" ? `Corner ${i + 1}` : `Shelf-line end ${i + 1}`} (${p.x} m, ${p.y} m) is outside the floor plan, which is ${plan.widthM} m wide and ${plan.heightM} m deep. Move it onto the plan.`,
        [field, i],
      );
  });
}

/**
 * Shelf zones on one floor plan must not share floor area: a shopper standing there would belong to two
 * shelves (staff-only zones are exempt: they only mark where nothing is analysed).
 */
async function assertNoOverlap(
  db: Ctx["db"],
  input: Pick<SaveZoneInput, "floorPlanId" | "zoneId" | "polygon" | "staffOnly">,
): Promise<void> {
  if (input.staffOnly) return;
  const others = await db.shelfZone.findMany({
    where: {
      floorPlanId: input.floorPlanId,
      staffOnly: false,
      ...(input.zoneId ? { id: { not: input.zoneId } } : {}),
    },
    select: { name: true, polygon: true },
  });
  for (const other of others) {
    const polygon = ZZonePolygon.safeParse(other.polygon);
    if (polygon.success && polygonsOverlap(input.polygon, polygon.data))
      throw new DomainRuleError(
        `This zone overlaps the zone “${other.name}”. Shelf zones must not share floor area: move a corner.`,
        ["polygon"],
      );
  }
}

/** Creates or resizes a floor plan (metres). Audited. */
export async function saveFloorPlan({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: SaveFloorPlanInput;
}): Promise<{ id: string }> {
  const { db, store, user } = ctx;
  const data = { name: input.name, widthM: input.widthM, heightM: input.heightM };
  return db.$transaction(async (tx) => {
    if (input.floorPlanId) {
      const old = await tx.floorPlan.findUnique({ where: { id: input.floorPlanId } });
      if (!old || old.storeId !== store.id) throw new NotFoundError(`floor plan "${input.floorPlanId}"`);
      // Shrinking the plan must not leave zones outside it.
      for (const zone of await tx.shelfZone.findMany({ where: { floorPlanId: old.id } })) {
        const polygon = ZZonePolygon.safeParse(zone.polygon);
        if (!polygon.success) continue;
        const outside = polygon.data.find((p) => p.x > input.widthM || p.y > input.heightM);
        if (outside)
          throw new DomainRuleError(
            `${outside.x > input.widthM ? "widthM" : "heightM"}: zone "${zone.name}" reaches (${outside.x}, ${outside.y}) m; move it first`,
          );
      }
      await tx.floorPlan.update({ where: { id: old.id }, data });
      await writeAudit(tx, {
        storeId: store.id,
        userId: user.id,
        action: "floorPlan.update",
        entity: "FloorPlan",
        entityId: old.id,
        before: { name: old.name, widthM: old.widthM, heightM: old.heightM },
        after: data,
      });
      return { id: old.id };
    }
    const plan = await tx.floorPlan.create({ data: { ...data, storeId: store.id } });
    await writeAudit(tx, {
      storeId: store.id,
      userId: user.id,
      action: "floorPlan.create",
      entity: "FloorPlan",
      entityId: plan.id,
      after: data,
    });
    return { id: plan.id };
  });
}
