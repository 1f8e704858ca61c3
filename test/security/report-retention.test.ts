import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@shelf/db";
import { zonedTimeToUtc } from "../../packages/api/src/reports/time-zone.ts";
import { randomPrefix, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import {
  addRollups,
  createUser,
  createWebStore,
  dropWebStore,
  FIXTURE_PASSWORD,
  type WebStore,
} from "../support/web-fixtures.ts";
import { signInHttp, trpcMutation } from "../support/web-http.ts";
import { startWebServer } from "../support/web-server.ts";
import { webTestEnv } from "../support/web-session.ts";

const DAY = 86_400_000;

/**
 * What retention used to keep for ever: hour cells holding one shopper, survey invites and consents, audit
 * entries naming people, calibration snapshots. The store admin runs retention through the app (the worker
 * runs the same job on its schedule). Real PostgreSQL.
 */
describe("retention of small and personal data", () => {
  const url = testDatabaseUrl();
  const TZ = "Europe/Berlin";
  let db: Db;
  let s: WebStore;
  let web: Awaited<ReturnType<typeof startWebServer>>;
  let adminCookie: string;
  let adminId: string;

  beforeAll(async () => {
    db = createDb({ url });
    s = await createWebStore(db, { timezone: TZ });
    await db.storeSettings.update({ where: { storeId: s.store.id }, data: { retentionDays: 90 } });
    const admin = await createUser(db, { role: "admin", storeId: s.store.id });
    adminId = admin.id;
    web = await startWebServer({
      DATABASE_URL: url,
      REDIS_URL: testRedisUrl(),
      ...webTestEnv({ QUEUE_PREFIX: randomPrefix("sec-retention") }),
    });
    adminCookie = await signInHttp(web.url, admin.email, FIXTURE_PASSWORD);
  });

  afterAll(async () => {
    await web?.stop();
    await db.user.deleteMany({ where: { id: adminId } });
    if (s) await dropWebStore(db, s);
    await db?.$disconnect();
  });

  it("one shopper's hour cell from 40 days ago does not stay: old hourly rollups are merged into their day", async () => {
    const parts = new Intl.DateTimeFormat("en-CA", {
      timeZone: TZ,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    })
      .format(new Date(Date.now() - 40 * DAY))
      .split("-")
      .map(Number);
    const local = (hour: number) =>
      zonedTimeToUtc({ year: parts[0]!, month: parts[1]!, day: parts[2]!, hour }, TZ);
    const base = { storeId: s.store.id, zoneId: s.zones.snacks, itemId: s.items.crisps.id };
    await addRollups(db, { ...base, hour: local(10), counts: { happy: 4 } });
    await addRollups(db, { ...base, hour: local(14), counts: { disgust: 1, happy: 2 } });
    const recent = new Date(Math.floor((Date.now() - 2 * DAY) / 3_600_000) * 3_600_000);
    await addRollups(db, { ...base, hour: recent, counts: { sad: 1 } });

    await trpcMutation(web.url, adminCookie, "admin.runRetention", { storeSlug: s.store.slug });

    const rows = await db.hourlyRollup.findMany({
      where: { storeId: s.store.id },
      orderBy: [{ hour: "asc" }, { expression: "asc" }],
      select: { hour: true, expression: true, count: true },
    });
    expect(rows).toEqual([
      { hour: local(0), expression: "disgust", count: 1 },
      { hour: local(0), expression: "happy", count: 6 },
      { hour: recent, expression: "sad", count: 1 },
    ]);
  });

  it("survey invites, their consents, unused invites, old audit entries and calibration snapshots are deleted", async () => {
    const template = await db.surveyTemplate.create({ data: { itemId: s.items.crisps.id, questions: [] } });
    const invite = (createdAt: Date, expiresAt: Date, usedAt: Date | null) =>
      db.surveyInvite.create({
        data: {
          storeId: s.store.id,
          itemId: s.items.crisps.id,
          templateId: template.id,
          channel: "qr",
          tokenHash: randomUUID(),
          createdAt,
          expiresAt,
          usedAt,
        },
      });
    const old = await invite(
      new Date(Date.now() - 100 * DAY),
      new Date(Date.now() - 100 * DAY),
      new Date(Date.now() - 100 * DAY),
    );
    await db.consent.create({ data: { inviteId: old.id, granted: false, textVersion: "v1" } });
    const unused = await invite(new Date(Date.now() - 10 * DAY), new Date(Date.now() - 10 * DAY), null);
    const fresh = await invite(new Date(), new Date(Date.now() + 60_000), null);
    const audit = await db.auditLog.create({
      data: {
        storeId: s.store.id,
        action: "member.add",
        entity: "Membership",
        after: { email: "someone@example.com" },
        createdAt: new Date(Date.now() - 500 * DAY),
      },
    });
    await db.camera.update({
      where: { id: s.cameraId },
      data: { snapshot: "data:image/jpeg;base64,AAAA", snapshotAt: new Date(Date.now() - 40 * DAY) },
    });

    await trpcMutation(web.url, adminCookie, "admin.runRetention", { storeSlug: s.store.slug });

    expect(await db.surveyInvite.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await db.consent.count({ where: { inviteId: old.id } })).toBe(0);
    expect(await db.surveyInvite.findUnique({ where: { id: unused.id } })).toBeNull();
    expect(await db.surveyInvite.findUnique({ where: { id: fresh.id } })).not.toBeNull();
    expect(await db.auditLog.findUnique({ where: { id: audit.id } })).toBeNull();
    expect(await db.camera.findUniqueOrThrow({ where: { id: s.cameraId } })).toMatchObject({
      snapshot: null,
      snapshotAt: null,
    });
  });
});
