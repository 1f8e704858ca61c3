import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@shelf/db";
import type { SessionUser } from "../../packages/api/src/auth/session-user.ts";
import { testDatabaseUrl } from "../setup/env.ts";
import {
  callerAs,
  createUser,
  createWebStore,
  dropWebStore,
  type WebStore,
} from "../support/web-fixtures.ts";

const PAIRS = [
  { frame: { x: 0, y: 480 }, floor: { x: 3, y: 3 } },
  { frame: { x: 640, y: 480 }, floor: { x: 9, y: 3 } },
  { frame: { x: 640, y: 200 }, floor: { x: 10, y: 6 } },
  { frame: { x: 0, y: 200 }, floor: { x: 2, y: 6 } },
];

describe("staff procedures: cameras, calibration, zones", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  let s: WebStore;
  let staff: SessionUser;

  beforeAll(async () => {
    s = await createWebStore(db);
    staff = await createUser(db, { role: "staff", storeId: s.store.id });
  });

  afterAll(async () => {
    await db.user.delete({ where: { id: staff.id } });
    await dropWebStore(db, s);
    await db.$disconnect();
  });

  it("saves a calibration as the next version, fitted on the server, audited", async () => {
    const api = callerAs(db, staff);
    const studio = await api.cameras.calibration({ storeSlug: s.store.slug, cameraId: s.cameraId });
    expect(studio.latest).toMatchObject({ version: 1 });
    expect(studio.latest!.pointPairs).toHaveLength(4);
    expect(studio.camera.snapshot).toBeNull();
    expect(studio.zones.map((z) => z.name).sort()).toEqual(["Drinks", "Snacks", "Stock room"]);
    // Five pairs, one of them 0.3 m off: the fit reports the error rather than hiding it.
    const pairs = [...PAIRS, { frame: { x: 320, y: 340 }, floor: { x: 6.3, y: 4.4 } }];
    const saved = await api.cameras.saveCalibration({
      storeSlug: s.store.slug,
      cameraId: s.cameraId,
      pointPairs: pairs,
      headHeightM: 1.5,
      baseVersion: 1,
    });
    expect(saved.version).toBe(2);
    expect(saved.rmsM).toBeGreaterThanOrEqual(0);
    const row = await db.calibration.findUniqueOrThrow({
      where: { cameraId_version: { cameraId: s.cameraId, version: 2 } },
    });
    expect(row.homography).toHaveLength(9);
    expect(row.createdById).toBe(staff.id);
    expect(
      await db.auditLog.findFirst({ where: { storeId: s.store.id, action: "calibration.create" } }),
    ).toMatchObject({
      userId: staff.id,
      before: expect.objectContaining({ version: 1 }),
      after: expect.objectContaining({ version: 2, pairs: 5 }),
    });
    // Saving on top of a stale version is refused.
    await expect(
      api.cameras.saveCalibration({
        storeSlug: s.store.slug,
        cameraId: s.cameraId,
        pointPairs: PAIRS,
        headHeightM: 1.5,
        baseVersion: 1,
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    const listed = await api.cameras.list({ storeSlug: s.store.slug });
    expect(listed.cameras[0]!.calibration).toMatchObject({ version: 2 });
  });

  it("explains calibrations that cannot be fitted", async () => {
    const api = callerAs(db, staff);
    const collinear = PAIRS.map((p, i) => ({ frame: { x: i * 100, y: i * 100 }, floor: p.floor }));
    await expect(
      api.cameras.saveCalibration({
        storeSlug: s.store.slug,
        cameraId: s.cameraId,
        pointPairs: collinear,
        headHeightM: 1.5,
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/line/) });
    const outside = [...PAIRS.slice(0, 3), { frame: { x: 900, y: 10 }, floor: { x: 2, y: 6 } }];
    await expect(
      api.cameras.saveCalibration({
        storeSlug: s.store.slug,
        cameraId: s.cameraId,
        pointPairs: outside,
        headHeightM: 1.5,
      }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/outside the 640×480 frame/),
    });
    await expect(
      api.cameras.saveCalibration({
        storeSlug: s.store.slug,
        cameraId: s.cameraId,
        pointPairs: PAIRS.slice(0, 3),
        headHeightM: 1.5,
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("admins register cameras with safe sources; passwords are sealed and never shown", async () => {
    const admin = await createUser(db, { role: "admin", storeId: s.store.id });
    const api = callerAs(db, admin);
    await api.cameras.setSourcePolicy({ storeSlug: s.store.slug, allowlist: ["10.0.0.0/24"] });
    await expect(
      api.cameras.create({
        storeSlug: s.store.slug,
        floorPlanId: s.planId,
        name: "Bad",
        sourceUrl: "-i /etc/passwd",
        widthPx: 640,
        heightPx: 480,
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^sourceUrl: /) });
    const { id } = await api.cameras.create({
      storeSlug: s.store.slug,
      floorPlanId: s.planId,
      name: "Door",
      sourceUrl: "rtsp://viewer:s3cret@10.0.0.5/stream1",
      widthPx: 1280,
      heightPx: 720,
    });
    const listed = (await api.cameras.list({ storeSlug: s.store.slug })).cameras.find((c) => c.id === id)!;
    expect(listed.source).toBe("rtsp://10.0.0.5/stream1");
    expect(listed.credentials).toBe("set");
    expect(listed.calibration).toBeNull();
    expect(JSON.stringify(await db.camera.findUniqueOrThrow({ where: { id } }))).not.toContain("s3cret");
    await callerAs(db, staff).cameras.update({ storeSlug: s.store.slug, cameraId: id, enabled: false });
    const audit = await db.auditLog.findMany({
      where: { storeId: s.store.id, entity: "Camera", entityId: id },
    });
    expect(JSON.stringify(audit)).not.toContain("s3cret");
    expect(audit.map((a) => a.action).sort()).toEqual(["camera.create", "camera.update"]);
    await db.auditLog.deleteMany({ where: { userId: admin.id } });
    await db.user.delete({ where: { id: admin.id } });
  });

  it("saves zones the agent can use, and refuses the ones it could not", async () => {
    const api = callerAs(db, staff);
    const square = [
      { x: 10, y: 0 },
      { x: 12, y: 0 },
      { x: 12, y: 2 },
      { x: 10, y: 2 },
    ];
    const { id } = await api.zones.save({
      storeSlug: s.store.slug,
      floorPlanId: s.planId,
      name: "Promo end",
      polygon: square,
      shelfLine: [square[0]!, square[1]!],
      staffOnly: false,
      slots: [
        { itemId: s.items.cola.id, start: 0, end: 0.5 },
        { itemId: s.items.crisps.id, start: 0.5, end: 1 },
      ],
    });
    const bowtie = [
      { x: 10, y: 0 },
      { x: 12, y: 2 },
      { x: 12, y: 0 },
      { x: 10, y: 1.5 },
    ];
    await expect(
      api.zones.save({
        storeSlug: s.store.slug,
        zoneId: id,
        floorPlanId: s.planId,
        name: "Promo end",
        polygon: bowtie,
        shelfLine: null,
        staffOnly: false,
        slots: [],
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^polygon: .*cross/) });
    await expect(
      api.zones.save({
        storeSlug: s.store.slug,
        zoneId: id,
        floorPlanId: s.planId,
        name: "Promo end",
        polygon: square,
        shelfLine: null,
        staffOnly: false,
        slots: [
          { itemId: s.items.cola.id, start: 0, end: 0.6 },
          { itemId: s.items.crisps.id, start: 0.5, end: 1 },
        ],
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/overlaps/) });
    await expect(
      api.zones.save({
        storeSlug: s.store.slug,
        zoneId: id,
        floorPlanId: s.planId,
        name: "Promo end",
        polygon: square,
        shelfLine: null,
        staffOnly: true,
        slots: [{ itemId: s.items.cola.id, start: 0, end: 1 }],
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/staff-only/) });
    // Marking it staff-only (without products) is fine.
    await api.zones.save({
      storeSlug: s.store.slug,
      zoneId: id,
      floorPlanId: s.planId,
      name: "Back office",
      polygon: square,
      shelfLine: null,
      staffOnly: true,
      slots: [],
    });
    const listed = await api.zones.list({ storeSlug: s.store.slug });
    expect(listed.floorPlans[0]!.zones.find((z) => z.id === id)).toMatchObject({
      name: "Back office",
      staffOnly: true,
      slots: [],
    });
    const del = await api.zones.delete({ storeSlug: s.store.slug, zoneId: id });
    expect(del.interactions).toBe(0);
    const actions = (
      await db.auditLog.findMany({
        where: { storeId: s.store.id, entity: "ShelfZone", entityId: id },
        orderBy: { createdAt: "asc" },
      })
    ).map((a) => a.action);
    expect(actions).toEqual(["zone.create", "zone.update", "zone.delete"]);
  });

  it("adds products to the catalogue once per SKU", async () => {
    const api = callerAs(db, staff);
    const item = await api.zones.createItem({
      storeSlug: s.store.slug,
      sku: `NEW-${s.tag}`,
      name: "Oat bar",
      category: "Snacks",
    });
    expect(item.category).toBe("snacks");
    await expect(
      api.zones.createItem({ storeSlug: s.store.slug, sku: `NEW-${s.tag}`, name: "Other", category: "x" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await db.item.delete({ where: { id: item.id } });
  });
});
