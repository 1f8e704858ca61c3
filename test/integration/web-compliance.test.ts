import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { createDb, type Db } from "@shelf/db";
import type { SessionUser } from "../../packages/api/src/auth/session-user.ts";
import { inviteNoticeHref } from "../../packages/api/src/routers/compliance/invite-notice.ts";
import { createInvite } from "../../packages/api/src/survey/invites.ts";
import { testDatabaseUrl } from "../setup/env.ts";
import {
  callerAs,
  createUser,
  createWebStore,
  dropWebStore,
  type WebStore,
} from "../support/web-fixtures.ts";

const ORIGIN = "https://shop.example";

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  return (err as TRPCError).code;
}

describe("compliance pack: privacy notice and DPIA export", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  let s: WebStore;
  let admin: SessionUser;
  let merchandiser: SessionUser;
  let staff: SessionUser;

  beforeAll(async () => {
    s = await createWebStore(db, { k: 7 });
    await db.storeSettings.update({ where: { storeId: s.store.id }, data: { retentionDays: 45 } });
    // A second, switched-off camera with a password in its source: counted, named in the DPIA, never its URL.
    await db.camera.create({
      data: {
        storeId: s.store.id,
        floorPlanId: s.planId,
        name: "Entrance cam",
        sourceUrl: "rtsp://10.9.8.7:554/secret-path",
        sourceCredentials: "sealed",
        widthPx: 640,
        heightPx: 480,
        enabled: false,
      },
    });
    admin = await createUser(db, { role: "admin", storeId: s.store.id });
    merchandiser = await createUser(db, { role: "merchandiser", storeId: s.store.id });
    staff = await createUser(db, { role: "staff", storeId: s.store.id });
  });

  afterAll(async () => {
    await db.user.deleteMany({ where: { id: { in: [admin.id, merchandiser.id, staff.id] } } });
    await db.surveyTemplate.deleteMany({ where: { category: { endsWith: s.tag } } });
    await dropWebStore(db, s);
    await db.$disconnect();
  });

  it("shows anyone the store's real cameras, zones, retention and k, with the model's measured accuracy", async () => {
    const notice = await callerAs(db, null).compliance.notice({ storeSlug: s.store.slug });
    expect(notice.store).toMatchObject({ slug: s.store.slug, name: s.store.name });
    expect(notice.cameras).toEqual({ analysing: 1, registered: 2 });
    expect(notice.zones).toEqual({ analysed: ["Drinks", "Snacks"], staffOnly: ["Stock room"] });
    expect(notice.rules).toEqual({ retentionDays: 45, k: 7 });
    expect(notice.controller).toEqual({ name: null, contact: null, dpo: null });
    expect(notice.model).toMatchObject({ name: "fer-vgg-s", benchmark: "FER-2013 PublicTest" });
    expect(notice.model.accuracy).toBeGreaterThan(0.6);
    expect(notice.model.accuracy).toBeLessThan(0.75);
    expect(JSON.stringify(notice)).not.toContain("rtsp://");

    // It follows the database: a zone made staff-only leaves the analysed list at once.
    await db.shelfZone.update({ where: { id: s.zones.drinks }, data: { staffOnly: true } });
    try {
      const after = await callerAs(db, null).compliance.notice({ storeSlug: s.store.slug });
      expect(after.zones).toEqual({ analysed: ["Snacks"], staffOnly: ["Drinks", "Stock room"] });
    } finally {
      await db.shelfZone.update({ where: { id: s.zones.drinks }, data: { staffOnly: false } });
    }
  });

  it("answers NOT_FOUND for a store that does not exist", async () => {
    expect(await refusal(callerAs(db, null).compliance.notice({ storeSlug: `no-such-${s.tag}` }))).toBe(
      "NOT_FOUND",
    );
  });

  it("lets an admin set who runs the cameras (audited); the notice shows it; blank clears", async () => {
    const api = callerAs(db, admin);
    const saved = await api.compliance.updateController({
      storeSlug: s.store.slug,
      controllerName: "  Example Markets GmbH ",
      controllerContact: "Hauptstraße 1, 10115 Berlin · privacy@shop.example",
      dpoContact: "",
    });
    expect(saved).toEqual({
      name: "Example Markets GmbH",
      contact: "Hauptstraße 1, 10115 Berlin · privacy@shop.example",
      dpo: null,
    });
    expect((await callerAs(db, null).compliance.notice({ storeSlug: s.store.slug })).controller).toEqual(
      saved,
    );
    const audit = await db.auditLog.findFirstOrThrow({
      where: { storeId: s.store.id, action: "controller.update" },
    });
    expect(audit).toMatchObject({
      userId: admin.id,
      before: { name: null },
      after: { name: "Example Markets GmbH" },
    });
    expect(await api.compliance.controller({ storeSlug: s.store.slug })).toEqual(saved);
    expect(
      await refusal(
        callerAs(db, merchandiser).compliance.updateController({
          storeSlug: s.store.slug,
          controllerName: "Someone else",
          controllerContact: null,
          dpoContact: null,
        }),
      ),
    ).toBe("FORBIDDEN");
  });

  it("exports a DPIA starter from the real configuration, with TODO sections for the controller", async () => {
    const { markdown, filename } = await callerAs(db, admin).compliance.dpia({
      storeSlug: s.store.slug,
      publicOrigin: ORIGIN,
    });
    expect(filename).toMatch(new RegExp(`^${s.store.slug}-dpia-\\d{4}-\\d{2}-\\d{2}\\.md$`));
    expect(markdown).toContain("Example Markets GmbH");
    expect(markdown).toContain("2 cameras registered, 1 analysing");
    expect(markdown).toMatch(/\| Aisle cam \| Ground floor \| yes \| 5 \| yes \|/);
    expect(markdown).toMatch(/\| Entrance cam \| Ground floor \| no \| 5 \| no/);
    expect(markdown).not.toContain("10.9.8.7");
    expect(markdown).not.toContain("demo:face-api");
    expect(markdown).toContain("2 analysed shelf zones; 1 staff-only zone");
    expect(markdown).toMatch(/\| Stock room \| Ground floor \| no — staff only \|/);
    expect(markdown).toMatch(/\| Snacks \| Ground floor \| yes \|/);
    expect(markdown).toContain("deleted after 45 days");
    expect(markdown).toContain("k = 7");
    expect(markdown).toContain("69.9 % on FER-2013 PublicTest");
    expect(markdown).toContain("packages/inference/models/fer-vgg-s.md");
    expect(markdown).toContain("1 admin (rules");
    expect(markdown).toContain(`${ORIGIN}/privacy/${s.store.slug}`);
    for (const todo of ["Legal basis", "Necessity and proportionality", "Consultation"])
      expect(markdown).toMatch(new RegExp(`## \\d+\\. ${todo} — TODO \\(controller\\)`));
  });

  it("refuses the DPIA to everyone but the store's admins", async () => {
    const input = { storeSlug: s.store.slug, publicOrigin: ORIGIN };
    expect(await refusal(callerAs(db, merchandiser).compliance.dpia(input))).toBe("FORBIDDEN");
    expect(await refusal(callerAs(db, staff).compliance.dpia(input))).toBe("FORBIDDEN");
    expect(await refusal(callerAs(db, null).compliance.dpia(input))).toBe("UNAUTHORIZED");
    const outsider = await createUser(db, { label: "outsider" });
    try {
      expect(await refusal(callerAs(db, outsider).compliance.dpia(input))).toBe("FORBIDDEN");
    } finally {
      await db.user.delete({ where: { id: outsider.id } });
    }
  });

  it("links a survey's consent page to its store's notice (and back)", async () => {
    const { inviteId, token } = await createInvite({
      db,
      secret: "compliance-test-secret-0123456789abcdef",
      storeId: s.store.id,
      itemId: s.items.crisps.id,
      channel: "kiosk",
      ttlMs: 60_000,
    });
    const back = `/s/${token}`;
    expect(await inviteNoticeHref(db, inviteId, back, "kiosk-1")).toBe(
      `/privacy/${s.store.slug}?back=${encodeURIComponent(back)}&kiosk=kiosk-1`,
    );
    expect(await inviteNoticeHref(db, "no-such-invite", back, null)).toBeNull();
  });
});
