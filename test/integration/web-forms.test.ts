import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { createDb, type Db } from "@shelf/db";
import type { SessionUser } from "../../packages/api/src/auth/session-user.ts";
import { appRouter } from "../../packages/api/src/root.ts";
import type { FieldIssue } from "../../packages/api/src/trpc.ts";
import { testDatabaseUrl } from "../setup/env.ts";
import {
  callerAs,
  createUser,
  createWebStore,
  dropWebStore,
  type WebStore,
} from "../support/web-fixtures.ts";

/**
 * What forms are refused with, on the real PostgreSQL: plan bounds and zone overlap, the time-zone list,
 * percentages, one store-wide rule per store — and the field-level issues the tRPC error carries over HTTP.
 */
describe("form refusals", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  let s: WebStore;
  let staff: SessionUser;
  let admin: SessionUser;

  beforeAll(async () => {
    s = await createWebStore(db);
    staff = await createUser(db, { role: "staff", storeId: s.store.id });
    admin = await createUser(db, { role: "admin", storeId: s.store.id });
  });

  afterAll(async () => {
    await db.threshold.deleteMany({ where: { storeId: s.store.id } });
    for (const u of [staff, admin]) await db.user.delete({ where: { id: u.id } });
    await dropWebStore(db, s);
    await db.$disconnect();
  });

  const zone = (polygon: { x: number; y: number }[], staffOnly = false) => ({
    storeSlug: s.store.slug,
    floorPlanId: s.planId,
    name: "Promo",
    polygon,
    shelfLine: null,
    staffOnly,
    slots: [],
  });
  const rect = (x0: number, y0: number, x1: number, y1: number) => [
    { x: x0, y: y0 },
    { x: x1, y: y0 },
    { x: x1, y: y1 },
    { x: x0, y: y1 },
  ];

  /** A mutation over HTTP as the browser sends it, answering the tRPC error's `data`. */
  async function httpError(user: SessionUser, path: string, input: unknown) {
    const res = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request(`http://localhost/api/trpc/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(superjson.serialize(input)),
      }),
      router: appRouter,
      createContext: () => ({ db, user }),
    });
    const body = (await res.json()) as {
      error: { json: { message: string; data: { httpStatus: number; issues: FieldIssue[] | null } } };
    };
    return { status: res.status, ...body.error.json };
  }

  it("refuses a zone corner off the floor plan, naming the corner", async () => {
    // The fixture's plan is 12 m × 8 m.
    const api = callerAs(db, staff);
    const before = await db.shelfZone.count({ where: { storeId: s.store.id } });
    const polygon = [
      { x: 10, y: 0 },
      { x: 11, y: 0 },
      { x: 50, y: 1 },
      { x: 10, y: 1 },
    ];
    await expect(api.zones.save(zone(polygon))).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/^Corner 3 \(50 m, 1 m\) is outside the floor plan, which is 12 m wide/),
      cause: { path: ["polygon", 2] },
    });
    const http = await httpError(staff, "zones.save", zone(polygon));
    expect(http.status).toBe(400);
    expect(http.data.issues).toEqual([
      { path: ["polygon", 2], code: "custom", message: expect.stringMatching(/^Corner 3 .* outside/) },
    ]);
    expect(await db.shelfZone.count({ where: { storeId: s.store.id } })).toBe(before);
  });

  it("refuses a shelf zone overlapping another, allows one sharing an edge", async () => {
    const api = callerAs(db, staff);
    // The fixture's Snacks zone is 2…6 m × 3.5…7 m.
    await expect(api.zones.save(zone(rect(5, 4, 7, 5)))).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/overlaps the zone “Snacks”/),
      cause: { path: ["polygon"] },
    });
    const beside = await api.zones.save(zone(rect(0, 3.5, 2, 7)));
    // Editing a zone does not compare it with itself.
    await api.zones.save({ ...zone(rect(0, 3.5, 1.5, 7)), zoneId: beside.id });
    // Staff-only areas may lie over shelves (they mark where nothing is analysed).
    const office = await api.zones.save(zone(rect(5, 4, 7, 5), true));
    await api.zones.delete({ storeSlug: s.store.slug, zoneId: office.id });
    await api.zones.delete({ storeSlug: s.store.slug, zoneId: beside.id });
  });

  it("sends zod issues with their code and bounds, not only a sentence", async () => {
    const http = await httpError(staff, "zones.save", { ...zone(rect(10, 0, 11, 1)), name: "" });
    expect(http.status).toBe(400);
    expect(http.data.issues).toContainEqual(
      expect.objectContaining({ path: ["name"], code: "too_small", minimum: 1, origin: "string" }),
    );
  });

  it("says percentages in the threshold form's unit", async () => {
    const api = callerAs(db, admin);
    await expect(
      api.admin.saveThreshold({ storeSlug: s.store.slug, level: "global", threshold: 0 }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "threshold: Enter a percentage between 0 and 100",
    });
    await expect(
      api.admin.saveThreshold({ storeSlug: s.store.slug, level: "global", threshold: 1.2 }),
    ).rejects.toMatchObject({ message: "threshold: Enter a percentage between 0 and 100" });
  });

  it("keeps one store-wide rule per store when saves race", async () => {
    const api = callerAs(db, admin);
    // No worker here: each save is stored, then answers that the flags could not be re-decided.
    const results = await Promise.allSettled(
      [0.2, 0.25, 0.3, 0.35, 0.4].map((threshold) =>
        api.admin.saveThreshold({ storeSlug: s.store.slug, level: "global", threshold }),
      ),
    );
    for (const r of results)
      expect(r).toMatchObject({ status: "rejected", reason: { code: "SERVICE_UNAVAILABLE" } });
    expect(await db.threshold.count({ where: { storeId: s.store.id, level: "global" } })).toBe(1);
    const listed = await api.admin.thresholds({ storeSlug: s.store.slug });
    expect(listed.rules.filter((r) => r.level === "global" && r.storeOnly)).toHaveLength(1);
  });

  it("takes time zones from the picker's list only, saved as the list spells them", async () => {
    const api = callerAs(db, admin);
    const tz = async (timezone: string) => {
      await api.admin.updateSettings({ storeSlug: s.store.slug, timezone }).catch(() => undefined);
      return (await db.store.findUniqueOrThrow({ where: { id: s.store.id } })).timezone;
    };
    await expect(
      api.admin.updateSettings({ storeSlug: s.store.slug, timezone: "Berlin time" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/Choose a time zone from the list/),
    });
    expect(await tz("europe/paris")).toBe("Europe/Paris");
    expect(await tz("UTC")).toBe("UTC");
    expect(await tz("Europe/Berlin")).toBe("Europe/Berlin");
  });

  it("gives the audit log the names of the ids it mentions", async () => {
    const api = callerAs(db, staff);
    const { id } = await api.zones.save({
      ...zone(rect(10, 0, 12, 2)),
      name: "Promo end",
      slots: [{ itemId: s.items.crisps.id, start: 0, end: 0.5, level: 0 }],
    });
    await api.zones.save({ ...zone(rect(10, 0, 12, 2)), zoneId: id, name: "Promo end", slots: [] });
    const log = await callerAs(db, admin).admin.auditLog({ storeSlug: s.store.slug, limit: 2 });
    expect(log.entries.map((e) => [e.action, e.entityName])).toEqual([
      ["zone.update", "Promo end"],
      ["zone.create", "Promo end"],
    ]);
    const crisps = await db.item.findUniqueOrThrow({ where: { id: s.items.crisps.id } });
    expect(log.names[crisps.id]).toBe(crisps.name);
    expect(log.names[s.planId]).toBe("Ground floor");
    await api.zones.delete({ storeSlug: s.store.slug, zoneId: id });
  });
});
