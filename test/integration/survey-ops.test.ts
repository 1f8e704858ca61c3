import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { TRPCError } from "@trpc/server";
import { createDb, type Db } from "@shelf/db";
import { DEFAULT_QUESTIONS, ShelfCodeError, signShelfCode, SURVEY_RATE_LIMITS } from "@shelf/survey-engine";
import type { SessionUser } from "../../packages/api/src/auth/session-user.ts";
import { isSurveyActive, createInvite } from "../../packages/api/src/survey/invites.ts";
import { SurveyRateLimiter } from "../../packages/api/src/survey/rate-limiter.ts";
import { resolveShelfCode, shelfSignUrl } from "../../packages/api/src/survey/shelf-qr.ts";
import { scanShelfCode } from "../../packages/api/src/survey/shelf-scan.ts";
import { randomPrefix, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import {
  callerAs,
  createUser,
  createWebStore,
  dropWebStore,
  type WebStore,
} from "../support/web-fixtures.ts";

const SECRET = "s".repeat(40);

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  return (err as TRPCError).code;
}

async function shelfError(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ShelfCodeError);
  return (err as ShelfCodeError).code;
}

/**
 * The real client with every query counted: each call of a model's method (`db.shelfSign.findUnique`) or of
 * a client method (`$transaction`, `$queryRaw`) adds one.
 */
function countingDb(db: Db): { db: Db; queries: () => number } {
  let n = 0;
  const counting = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, p) {
        const v = Reflect.get(t, p) as unknown;
        if (typeof v !== "function") return v;
        return (...args: unknown[]) => {
          n++;
          return (v as (...a: unknown[]) => unknown).apply(t, args);
        };
      },
    });
  const proxied = new Proxy(db, {
    get(t, p) {
      const v = Reflect.get(t, p) as unknown;
      if (typeof p === "string" && !p.startsWith("$") && v && typeof v === "object") return counting(v);
      if (typeof p === "string" && p.startsWith("$") && typeof v === "function")
        return (...args: unknown[]) => {
          n++;
          return (v as (...a: unknown[]) => unknown).apply(t, args);
        };
      return v;
    },
  });
  return { db: proxied, queries: () => n };
}

describe("survey operations: templates, start/stop, shelf signs", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  let s: WebStore;
  let other: WebStore;
  let admin: SessionUser;
  let merchandiser: SessionUser;
  let staff: SessionUser;
  let otherAdmin: SessionUser;

  beforeAll(async () => {
    s = await createWebStore(db, { timezone: "America/New_York" });
    other = await createWebStore(db);
    admin = await createUser(db, { role: "admin", storeId: s.store.id });
    merchandiser = await createUser(db, { role: "merchandiser", storeId: s.store.id });
    staff = await createUser(db, { role: "staff", storeId: s.store.id });
    otherAdmin = await createUser(db, { role: "admin", storeId: other.store.id });
  });

  afterAll(async () => {
    const categories = [s, other].flatMap((w) => ["snacks", "drinks"].map((c) => `${c}-${w.tag}`));
    await db.surveyTemplate.deleteMany({ where: { itemId: null, category: { in: categories } } });
    await db.user.deleteMany({
      where: { id: { in: [admin, merchandiser, staff, otherAdmin].map((u) => u.id) } },
    });
    await dropWebStore(db, s);
    await dropWebStore(db, other);
    await db.$disconnect();
  });

  const questions = [
    { id: "overall", kind: "rating" as const, prompt: "How salty is {item}?", scale: 7 },
    {
      id: "why",
      kind: "choice" as const,
      prompt: "What would you change?",
      options: [
        { id: "salt", label: "Less salt" },
        { id: "size", label: "Bigger bag" },
      ],
    },
  ];

  it("a merchandiser creates, edits and deactivates a category template; each change is audited", async () => {
    const m = callerAs(db, merchandiser).survey;
    const category = `snacks-${s.tag}`;
    const { id } = await m.saveTemplate({
      storeSlug: s.store.slug,
      target: { kind: "category", category },
      questions,
    });
    let list = await m.templates({ storeSlug: s.store.slug });
    const created = list.templates.find((t) => t.id === id)!;
    expect(created).toMatchObject({ scope: "category", category, active: true, problem: null });
    // Defaults of the question model are filled in (labels, required) on save.
    expect(created.questions![0]).toMatchObject({ scale: 7, lowLabel: "Very poor", required: true });
    expect(list.categories).toEqual([`drinks-${s.tag}`, category]);

    // The template now decides what crisps' shoppers are asked.
    const items = await m.items({ storeSlug: s.store.slug });
    expect(items.items.find((i) => i.itemId === s.items.crisps.id)!.templateSource).toBe("category");
    expect(items.items.find((i) => i.itemId === s.items.cola.id)!.templateSource).toBe("default");
    const invite = await createInvite({
      db,
      secret: SECRET,
      storeId: s.store.id,
      itemId: s.items.crisps.id,
      channel: "qr",
      ttlMs: 60_000,
    });
    expect((await db.surveyInvite.findUniqueOrThrow({ where: { id: invite.inviteId } })).templateId).toBe(id);

    await m.saveTemplate({
      storeSlug: s.store.slug,
      id,
      target: { kind: "category", category },
      questions: [questions[0]!],
      active: false,
    });
    list = await m.templates({ storeSlug: s.store.slug });
    expect(list.templates.find((t) => t.id === id)).toMatchObject({ active: false, invites: 1 });
    expect(list.templates.find((t) => t.id === id)!.questions).toHaveLength(1);

    const audit = await db.auditLog.findMany({
      where: { storeId: s.store.id, entity: "SurveyTemplate", entityId: id },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => [a.action, a.userId])).toEqual([
      ["surveyTemplate.create", merchandiser.id],
      ["surveyTemplate.update", merchandiser.id],
    ]);
    expect(audit[1]!.before).toMatchObject({ active: true });
    expect(audit[1]!.after).toMatchObject({ active: false });
  });

  it("an item template overrides the category's; invalid questions and foreign products are refused", async () => {
    const a = callerAs(db, admin).survey;
    const { id } = await a.saveTemplate({
      storeSlug: s.store.slug,
      target: { kind: "item", itemId: s.items.peanuts.id },
      questions: DEFAULT_QUESTIONS,
    });
    const items = await a.items({ storeSlug: s.store.slug });
    expect(items.items.find((i) => i.itemId === s.items.peanuts.id)!.templateSource).toBe("item");
    expect((await a.templates({ storeSlug: s.store.slug })).templates.find((t) => t.id === id)).toMatchObject(
      {
        scope: "item",
        item: { id: s.items.peanuts.id },
      },
    );

    // Two questions with one id, a choice with one option: the survey engine's schema says no.
    expect(
      await refusal(
        a.saveTemplate({
          storeSlug: s.store.slug,
          target: { kind: "item", itemId: s.items.peanuts.id },
          questions: [questions[0]!, questions[0]!],
        }),
      ),
    ).toBe("BAD_REQUEST");
    expect(
      await refusal(
        a.saveTemplate({
          storeSlug: s.store.slug,
          target: { kind: "item", itemId: s.items.peanuts.id },
          questions: [{ id: "x", kind: "choice", prompt: "?", options: [{ id: "a", label: "A" }] }],
        }),
      ),
    ).toBe("BAD_REQUEST");
    // Another store's product, category and template are out of reach.
    expect(
      await refusal(
        a.saveTemplate({
          storeSlug: s.store.slug,
          target: { kind: "item", itemId: other.items.cola.id },
          questions,
        }),
      ),
    ).toBe("NOT_FOUND");
    expect(
      await refusal(
        a.saveTemplate({
          storeSlug: s.store.slug,
          target: { kind: "category", category: `drinks-${other.tag}` },
          questions,
        }),
      ),
    ).toBe("BAD_REQUEST");
    expect(
      await refusal(
        callerAs(db, otherAdmin).survey.saveTemplate({
          storeSlug: other.store.slug,
          id,
          target: { kind: "item", itemId: other.items.cola.id },
          questions,
        }),
      ),
    ).toBe("NOT_FOUND");
  });

  it("staff, other stores' admins and signed-out callers cannot read or change templates", async () => {
    const input = {
      storeSlug: s.store.slug,
      target: { kind: "category" as const, category: `drinks-${s.tag}` },
      questions,
    };
    expect(await refusal(callerAs(db, staff).survey.saveTemplate(input))).toBe("FORBIDDEN");
    expect(await refusal(callerAs(db, staff).survey.templates({ storeSlug: s.store.slug }))).toBe(
      "FORBIDDEN",
    );
    expect(await refusal(callerAs(db, otherAdmin).survey.saveTemplate(input))).toBe("FORBIDDEN");
    expect(await refusal(callerAs(db, null).survey.saveTemplate(input))).toBe("UNAUTHORIZED");
    expect(await db.surveyTemplate.count({ where: { category: `drinks-${s.tag}` } })).toBe(0);
  });

  it("start/stop overrides the flag, and back to following it; audited", async () => {
    const m = callerAs(db, merchandiser).survey;
    const cola = s.items.cola.id;
    expect(await isSurveyActive(db, s.store.id, cola)).toBe(false);
    await m.setRunning({ storeSlug: s.store.slug, itemId: cola, running: true });
    expect(await isSurveyActive(db, s.store.id, cola)).toBe(true);
    expect((await m.items({ storeSlug: s.store.slug })).items[0]).toMatchObject({
      itemId: cola,
      running: true,
      override: true,
      flagged: false,
    });

    await db.flag.create({
      data: {
        storeId: s.store.id,
        itemId: cola,
        rate: 0.6,
        lower: 0.4,
        upper: 0.8,
        n: 40,
        negatives: 24,
        threshold: 0.3,
        thresholdLevel: "global",
        windowHours: 168,
      },
    });
    await m.setRunning({ storeSlug: s.store.slug, itemId: cola, running: false });
    expect(await isSurveyActive(db, s.store.id, cola)).toBe(false);
    await m.setRunning({ storeSlug: s.store.slug, itemId: cola, running: null });
    expect(await isSurveyActive(db, s.store.id, cola)).toBe(true);
    const audit = await db.auditLog.findMany({
      where: { storeId: s.store.id, entityId: cola, action: { startsWith: "survey." } },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(["survey.start", "survey.stop", "survey.follow-flag"]);
    expect(
      await refusal(
        callerAs(db, staff).survey.setRunning({ storeSlug: s.store.slug, itemId: cola, running: true }),
      ),
    ).toBe("FORBIDDEN");
  });

  it("a shelf sign's short code resolves; once revoked it does not, and a new one does; unknown codes do not", async () => {
    const m = callerAs(db, merchandiser).survey;
    const input = { storeSlug: s.store.slug, itemId: s.items.crisps.id };
    const sign = await m.shelfSign(input);
    expect(sign.code).toMatch(/^[a-z2-7]{12}$/);
    // The same code until revoked: every print of the sign encodes the same URL.
    expect((await m.shelfSign(input)).code).toBe(sign.code);
    expect(await resolveShelfCode(db, sign.code, SECRET)).toEqual({
      storeId: s.store.id,
      itemId: s.items.crisps.id,
    });
    const url = shelfSignUrl("https://shop.example", sign.code);
    expect(url).toBe(`https://shop.example/s/q/${sign.code}`);
    const long = `https://shop.example/s/q/${signShelfCode(s.store.id, s.items.crisps.id, SECRET)}`;
    expect(url.length).toBeLessThan(long.length - 80);

    expect(await m.revokeShelfSign(input)).toEqual({ revoked: 1 });
    expect(await shelfError(resolveShelfCode(db, sign.code, SECRET))).toBe("unknown");
    const next = await m.shelfSign(input);
    expect(next.code).not.toBe(sign.code);
    expect((await resolveShelfCode(db, next.code, SECRET)).itemId).toBe(s.items.crisps.id);
    expect(await shelfError(resolveShelfCode(db, "abcdefghijkl", SECRET))).toBe("unknown");
    expect(
      (await db.auditLog.findMany({ where: { storeId: s.store.id, action: "shelfSign.revoke" } })).length,
    ).toBe(1);
    // Another store cannot print or revoke this store's signs.
    expect(
      await refusal(
        callerAs(db, otherAdmin).survey.shelfSign({ storeSlug: other.store.slug, itemId: s.items.crisps.id }),
      ),
    ).toBe("NOT_FOUND");
    expect(await refusal(callerAs(db, staff).survey.revokeShelfSign(input))).toBe("FORBIDDEN");
  });

  it("old long signed codes keep working; forged and expired ones do not", async () => {
    const code = signShelfCode(s.store.id, s.items.peanuts.id, SECRET);
    expect(await resolveShelfCode(db, code, SECRET)).toEqual({
      storeId: s.store.id,
      itemId: s.items.peanuts.id,
    });
    expect(await shelfError(resolveShelfCode(db, code, "t".repeat(40)))).toBe("bad-signature");
    const old = signShelfCode(
      s.store.id,
      s.items.peanuts.id,
      SECRET,
      new Date(Date.now() - 400 * 86_400_000),
    );
    expect(await shelfError(resolveShelfCode(db, old, SECRET))).toBe("expired");
  });

  it("sign times are in the store's time zone", async () => {
    const m = callerAs(db, merchandiser).survey;
    const input = { storeSlug: s.store.slug, itemId: s.items.cola.id };
    const sign = await m.shelfSign(input);
    // 03:30 UTC on 2 June is 23:30 the day before in New York (EDT, UTC−4).
    await db.shelfSign.update({
      where: { code: sign.code },
      data: { createdAt: new Date("2026-06-02T03:30:00Z") },
    });
    const shown = await m.shelfSign(input);
    expect(shown.store.timezone).toBe("America/New_York");
    expect(shown.issuedAtText).toBe("1 Jun 2026, 23:30 (America/New_York)");
    expect((await m.items({ storeSlug: s.store.slug })).timezone).toBe("America/New_York");
  });

  it("a scan meets the per-client limit before the code's lookup: guessed codes cost no query past it, and refused scans leave the item's budget alone", async () => {
    const redis = new Redis(testRedisUrl());
    const prefix = randomPrefix("shelf-scan");
    // One fixed instant, so the scans cannot straddle a window edge.
    const now = () => Math.floor(Date.now() / 3_600_000) * 3_600_000 + 1000;
    const limiter = new SurveyRateLimiter(redis, {
      prefix,
      secret: SECRET,
      now,
      rules: {
        ...SURVEY_RATE_LIMITS,
        "qr-client": { limit: 3, windowMs: 60_000 },
        "qr-code": { limit: 2, windowMs: 3_600_000 },
      },
    });
    const counted = countingDb(db);
    const scan = (code: string, client: string | null) =>
      scanShelfCode({ db: counted.db, limiter, secret: SECRET, code, client });
    const guess = () =>
      randomBytes(12)
        .toString("hex")
        .replace(/[^a-z2-7]/g, "a")
        .slice(0, 12)
        .padEnd(12, "b");
    try {
      const peanuts = s.items.peanuts.id;
      await callerAs(db, merchandiser).survey.setRunning({
        storeSlug: s.store.slug,
        itemId: peanuts,
        running: true,
      });
      const { code } = await callerAs(db, merchandiser).survey.shelfSign({
        storeSlug: s.store.slug,
        itemId: peanuts,
      });
      const flooder = "203.0.113.66";
      const outcomes: string[] = [];
      for (let i = 0; i < 3; i++) outcomes.push((await scan(guess(), flooder)).kind);
      expect(outcomes).toEqual(["invalid", "invalid", "invalid"]);
      const afterLimit = counted.queries();
      expect(afterLimit).toBe(3); // one lookup per guess
      for (let i = 0; i < 20; i++) outcomes.push((await scan(guess(), flooder)).kind);
      // The real code from the same client is refused too, before it is looked up.
      outcomes.push((await scan(code, flooder)).kind);
      expect(outcomes.slice(3).every((k) => k === "limited")).toBe(true);
      expect(counted.queries()).toBe(afterLimit);

      // The flooder's refused scan did not count against the item's hourly limit of 2: two shoppers get in.
      const first = await scan(code, "198.51.100.1");
      expect(first.kind).toBe("invite");
      expect((await scan(code, "198.51.100.2")).kind).toBe("invite");
      expect((await scan(code, "198.51.100.3")).kind).toBe("limited");
      // Without a trusted address no per-client limit applies: each guess is looked up.
      const before = counted.queries();
      for (let i = 0; i < 5; i++) expect((await scan(guess(), null)).kind).toBe("invalid");
      expect(counted.queries()).toBe(before + 5);
    } finally {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    }
  });
});
