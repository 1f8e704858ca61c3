import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "better-auth/crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { pino } from "pino";
import { QUEUES, redisLayout } from "@shelf/core";
import { createDb, type Db } from "@shelf/db";
import { liveChannelPattern, parseLiveEvent, type LiveEvent } from "@shelf/survey-engine";
import { startWorkers, type RunningWorkers } from "@shelf/worker";
import type { SessionUser } from "../../packages/api/src/auth/session-user.ts";
import { bullRescoreRequester, type RescoreRequester } from "../../packages/api/src/flags/rescore.ts";
import { randomPrefix, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { obliterateQueues } from "../support/redis-layout.ts";
import {
  addRollups,
  callerAs,
  createUser,
  createWebStore,
  dropWebStore,
  setScore,
  type WebStore,
} from "../support/web-fixtures.ts";

/**
 * Admin procedures on the real PostgreSQL; rule changes go to a real worker (startWorkers) through the
 * `shelf-rescore` queue, and the handlers wait for its answer — the web app decides no flag itself.
 */
describe("admin procedures", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  const redisUrl = testRedisUrl();
  const prefix = randomPrefix("web-admin");
  let s: WebStore;
  let admin: SessionUser;
  let superAdmin: SessionUser;
  const created: string[] = [];
  let workers: RunningWorkers;
  let rescore: RescoreRequester & { close(): Promise<void> };
  let sub: Redis;
  /** Live events as the worker publishes them (every store of this run). */
  const live: LiveEvent[] = [];
  const caller = (user: SessionUser) => callerAs(db, user, rescore);

  beforeAll(async () => {
    workers = startWorkers({
      db,
      redisUrl,
      prefix,
      analyzer: { classify: () => Promise.reject(new Error("not used")) },
      logger: pino({ level: "silent" }),
    });
    rescore = bullRescoreRequester({ redisUrl, prefix });
    sub = new Redis(redisUrl);
    await sub.psubscribe(liveChannelPattern(prefix));
    sub.on("pmessage", (_p, _c, m: string) => {
      const e = parseLiveEvent(m);
      if (e) live.push(e);
    });
    s = await createWebStore(db, { minSample: 10 });
    admin = await createUser(db, { role: "admin", storeId: s.store.id });
    superAdmin = await createUser(db, { superAdmin: true, label: "super" });
    // Scores as the worker left them: crisps clearly rejected, peanuts in the middle, cola fine.
    await setScore(db, {
      storeId: s.store.id,
      itemId: s.items.crisps.id,
      n: 100,
      negatives: 45,
      lower: 0.36,
      upper: 0.55,
    });
    await setScore(db, {
      storeId: s.store.id,
      itemId: s.items.peanuts.id,
      n: 100,
      negatives: 25,
      lower: 0.17,
      upper: 0.34,
    });
    await setScore(db, {
      storeId: s.store.id,
      itemId: s.items.cola.id,
      n: 100,
      negatives: 5,
      lower: 0.02,
      upper: 0.11,
    });
  });

  afterAll(async () => {
    await workers?.close();
    await rescore?.close();
    await sub?.quit();
    await obliterateQueues(redisUrl, prefix);
    await db.user.deleteMany({ where: { id: { in: [admin.id, superAdmin.id, ...created] } } });
    await dropWebStore(db, s);
    await db.$disconnect();
  });

  const openFlags = async () =>
    (await db.flag.findMany({ where: { storeId: s.store.id, clearedAt: null } })).map((f) => f.itemId).sort();

  it("re-decides the flag list when a threshold changes, with hysteresis, audited and published", async () => {
    const api = caller(admin);
    // A store-wide rule at 0.3: only crisps' bound (0.36) is above it.
    const first = await api.admin.saveThreshold({
      storeSlug: s.store.slug,
      level: "global",
      threshold: 0.3,
      hysteresis: 0.05,
    });
    expect(first.flagChanges.map((c) => [c.itemId, c.state])).toEqual([[s.items.crisps.id, "raised"]]);
    expect(await openFlags()).toEqual([s.items.crisps.id]);
    const flag = await db.flag.findFirstOrThrow({
      where: { storeId: s.store.id, itemId: s.items.crisps.id, clearedAt: null },
    });
    expect(flag).toMatchObject({
      threshold: 0.3,
      thresholdLevel: "global",
      n: 100,
      negatives: 45,
      windowHours: 168,
    });
    // Published by the worker that raised it.
    await expect
      .poll(() => live.filter((e) => e.kind === "flag" && e.storeId === s.store.id))
      .toEqual([
        expect.objectContaining({
          kind: "flag",
          state: "raised",
          itemId: s.items.crisps.id,
          flagId: flag.id,
          threshold: 0.3,
        }),
      ]);

    // Lowering it to 0.15 raises peanuts too; saving the same key again updates the rule, not a second one.
    const second = await api.admin.saveThreshold({
      storeSlug: s.store.slug,
      level: "global",
      threshold: 0.15,
    });
    expect(second.rule.id).toBe(first.rule.id);
    expect(await openFlags()).toEqual([s.items.crisps.id, s.items.peanuts.id].sort());

    // 0.2: peanuts (0.17) sits inside the hysteresis band (clears below 0.15): still flagged.
    await api.admin.saveThreshold({ storeSlug: s.store.slug, level: "global", threshold: 0.2 });
    expect(await openFlags()).toEqual([s.items.crisps.id, s.items.peanuts.id].sort());

    // A snacks rule at 0.4 (clears below 0.35) clears peanuts (0.17); crisps (0.36) stays within the band.
    const category = await api.admin.saveThreshold({
      storeSlug: s.store.slug,
      level: "category",
      category: `snacks-${s.tag}`,
      threshold: 0.4,
      hysteresis: 0.05,
    });
    expect(category.flagChanges.map((c) => [c.itemId, c.state])).toEqual([[s.items.peanuts.id, "cleared"]]);
    expect(await openFlags()).toEqual([s.items.crisps.id]);

    // An item rule beats the category rule.
    await api.admin.saveThreshold({
      storeSlug: s.store.slug,
      level: "item",
      itemId: s.items.crisps.id,
      threshold: 0.5,
      hysteresis: 0.1,
    });
    expect(await openFlags()).toEqual([]);

    const log = await db.auditLog.findMany({
      where: { storeId: s.store.id, entity: "Threshold" },
      orderBy: { createdAt: "asc" },
    });
    expect(log.map((l) => l.action)).toEqual([
      "threshold.create",
      "threshold.update",
      "threshold.update",
      "threshold.create",
      "threshold.create",
    ]);
    expect(log[1]).toMatchObject({
      userId: admin.id,
      before: expect.objectContaining({ threshold: 0.3 }),
      after: expect.objectContaining({ threshold: 0.15 }),
    });

    // Deleting the item rule brings the category rule back for crisps (0.36 < 0.4 and above 0.35: stays clear).
    const { rules } = await api.admin.thresholds({ storeSlug: s.store.slug });
    const itemRule = rules.find((r) => r.level === "item")!;
    expect(itemRule.item?.id).toBe(s.items.crisps.id);
    await api.admin.deleteThreshold({ storeSlug: s.store.slug, id: itemRule.id });
    expect(await openFlags()).toEqual([]);
  });

  it("refuses thresholds that break the rules, and every-store rules to store admins", async () => {
    const api = caller(admin);
    await expect(
      api.admin.saveThreshold({ storeSlug: s.store.slug, level: "global", threshold: 0.1, hysteresis: 0.2 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/hysteresis/) });
    await expect(
      api.admin.saveThreshold({ storeSlug: s.store.slug, level: "category", threshold: 0.3 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/category/) });
    const everyStore = await db.threshold.create({
      data: { level: "category", category: `nothing-${s.tag}`, threshold: 0.3 },
    });
    try {
      await expect(
        api.admin.saveThreshold({
          storeSlug: s.store.slug,
          id: everyStore.id,
          level: "category",
          category: `nothing-${s.tag}`,
          threshold: 0.4,
        }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/super admin/) });
      const bySuper = await caller(superAdmin).admin.saveThreshold({
        storeSlug: s.store.slug,
        id: everyStore.id,
        level: "category",
        category: `nothing-${s.tag}`,
        threshold: 0.4,
      });
      expect(bySuper.rule).toMatchObject({ storeOnly: false, threshold: 0.4 });
    } finally {
      await db.threshold.delete({ where: { id: everyStore.id } });
    }
  });

  it("changes settings, audited; a new minimum sample re-decides flags", async () => {
    const api = caller(admin);
    await api.admin.saveThreshold({ storeSlug: s.store.slug, level: "global", threshold: 0.3 });
    expect(await openFlags()).toEqual([]); // the snacks rule (0.4) governs crisps: 0.36 is not above it
    await api.admin.saveThreshold({
      storeSlug: s.store.slug,
      level: "category",
      category: `snacks-${s.tag}`,
      threshold: 0.3,
    });
    expect(await openFlags()).toEqual([s.items.crisps.id]);
    await db.rejectionScore.update({
      where: { storeId_itemId: { storeId: s.store.id, itemId: s.items.crisps.id } },
      data: { n: 20, negatives: 2, lower: 0.03 },
    });
    // With n = 20 < 50 nothing may change…
    const strict = await api.admin.updateSettings({
      storeSlug: s.store.slug,
      minSample: 50,
      kAnonymity: 7,
      timezone: "Europe/Paris",
    });
    expect(strict.flagChanges).toEqual([]);
    expect(strict.settings).toMatchObject({ minSample: 50, kAnonymity: 7 });
    expect(strict.store.timezone).toBe("Europe/Paris");
    // …with 10 it clears.
    const lenient = await api.admin.updateSettings({ storeSlug: s.store.slug, minSample: 10 });
    expect(lenient.flagChanges.map((c) => c.state)).toEqual(["cleared"]);
    const entry = await db.auditLog.findFirstOrThrow({
      where: { storeId: s.store.id, action: "settings.update" },
      orderBy: { createdAt: "asc" },
    });
    expect(entry.before).toMatchObject({ minSample: 10, kAnonymity: 5, timezone: "Europe/Berlin" });
    expect(entry.after).toMatchObject({ minSample: 50, kAnonymity: 7, timezone: "Europe/Paris" });
    await expect(
      api.admin.updateSettings({ storeSlug: s.store.slug, timezone: "Mars/Olympus" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      api.admin.updateSettings({ storeSlug: s.store.slug, negativeExpressions: [] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("rescores the store at once when the negative set, window or hesitation rule changes", async () => {
    const r = await createWebStore(db, { minSample: 10 });
    const rAdmin = await createUser(db, { role: "admin", storeId: r.store.id });
    created.push(rAdmin.id);
    try {
      const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
      const old = new Date(hour.getTime() - 30 * 24 * 3_600_000);
      // Crisps: this hour 10 angry, 6 disgust, 24 neutral (4 of them hesitant); 30 days ago 40 more disgust.
      await addRollups(db, {
        storeId: r.store.id,
        zoneId: r.zones.snacks,
        itemId: r.items.crisps.id,
        hour,
        counts: { angry: 10, disgust: 6, neutral: 24 },
        hesitations: { neutral: 4 },
      });
      await addRollups(db, {
        storeId: r.store.id,
        zoneId: r.zones.snacks,
        itemId: r.items.crisps.id,
        hour: old,
        counts: { disgust: 40 },
      });
      const api = caller(rAdmin);
      await api.admin.saveThreshold({ storeSlug: r.store.slug, level: "global", threshold: 0.3 });
      const score = () =>
        db.rejectionScore.findUniqueOrThrow({
          where: { storeId_itemId: { storeId: r.store.id, itemId: r.items.crisps.id } },
        });
      const open = () => db.flag.count({ where: { storeId: r.store.id, clearedAt: null } });

      // Disgust only: 6 of 40 this week (bound below 0.3) — the score exists at once, no flag.
      const narrow = await api.admin.updateSettings({
        storeSlug: r.store.slug,
        negativeExpressions: ["disgust"],
      });
      expect(await score()).toMatchObject({ n: 40, negatives: 6 });
      expect(narrow.flagChanges).toEqual([]);
      expect(await open()).toBe(0);

      // A 60-day window takes in the 40 old disgusted visits: 46 of 80, flagged at once and published.
      const wide = await api.admin.updateSettings({ storeSlug: r.store.slug, scoreWindowHours: 60 * 24 });
      expect(await score()).toMatchObject({ n: 80, negatives: 46 });
      expect(wide.flagChanges.map((c) => [c.itemId, c.state])).toEqual([[r.items.crisps.id, "raised"]]);
      await expect
        .poll(() => live.filter((e) => e.kind === "flag" && e.storeId === r.store.id))
        .toHaveLength(1);
      expect(await open()).toBe(1);

      // Back to a week, with anger and hesitation counted: 10 + 6 + 4 hesitant of 40.
      const back = await api.admin.updateSettings({
        storeSlug: r.store.slug,
        scoreWindowHours: 168,
        negativeExpressions: ["angry", "disgust"],
        includeHesitation: true,
      });
      expect(await score()).toMatchObject({ n: 40, negatives: 20 });
      expect(back.flagChanges).toEqual([]); // bound of 20/40 ≈ 0.35: still above 0.3
      // Changing only the k-anonymity touches no score.
      const before = (await score()).computedAt;
      await api.admin.updateSettings({ storeSlug: r.store.slug, kAnonymity: 7 });
      expect((await score()).computedAt).toEqual(before);
    } finally {
      await dropWebStore(db, r);
    }
  });

  it("saves a rule but says so clearly when no worker answers the rescore", async () => {
    const nobodyPrefix = randomPrefix("no-worker");
    const nobody = bullRescoreRequester({ redisUrl, prefix: nobodyPrefix, timeoutMs: 1500 });
    try {
      const api = callerAs(db, admin, nobody);
      await expect(
        api.admin.saveThreshold({ storeSlug: s.store.slug, level: "global", threshold: 0.35 }),
      ).rejects.toMatchObject({
        code: "SERVICE_UNAVAILABLE",
        message: expect.stringMatching(/rules are saved.*no worker answered the rescore within 2 s/),
      });
      // Saved and audited all the same; the worker applies it when it comes.
      expect(
        await db.threshold.findFirst({ where: { storeId: s.store.id, level: "global", threshold: 0.35 } }),
      ).not.toBeNull();
      await caller(admin).admin.saveThreshold({ storeSlug: s.store.slug, level: "global", threshold: 0.3 });
    } finally {
      await nobody.close();
      const q = new Queue(QUEUES.rescore, {
        connection: { url: redisUrl },
        prefix: redisLayout(nobodyPrefix).central,
      });
      await q.obliterate({ force: true });
      await q.close();
    }
  });

  it("manages members: new accounts get a working password, the last admin stays", async () => {
    const api = caller(admin);
    await expect(
      api.admin.addMember({ storeSlug: s.store.slug, email: `new-${s.tag}@test.example`, role: "staff" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/first password/) });
    const m = await api.admin.addMember({
      storeSlug: s.store.slug,
      email: `New-${s.tag}@Test.example`,
      role: "staff",
      name: "New Staff",
      password: "a-first-password",
    });
    created.push(m.user.id);
    expect(m.user.email).toBe(`new-${s.tag}@test.example`);
    const account = await db.account.findFirstOrThrow({
      where: { userId: m.user.id, providerId: "credential" },
    });
    expect(await verifyPassword({ hash: account.password!, password: "a-first-password" })).toBe(true);
    // A store admin always gives a name and first password (same answer whether or not the email has an
    // account); an account that exists keeps its own.
    await expect(
      api.admin.addMember({
        storeSlug: s.store.slug,
        email: `new-${s.tag}@test.example`,
        role: "admin",
        name: "Someone Else",
        password: "another-password",
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await api.admin.updateMember({
      storeSlug: s.store.slug,
      membershipId: m.membershipId,
      role: "merchandiser",
    });
    const members = await api.admin.members({ storeSlug: s.store.slug });
    expect(members.map((x) => [x.user.email, x.role])).toEqual(
      expect.arrayContaining([
        [admin.email, "admin"],
        [`new-${s.tag}@test.example`, "merchandiser"],
      ]),
    );
    const own = members.find((x) => x.user.id === admin.id)!;
    await expect(
      api.admin.removeMember({ storeSlug: s.store.slug, membershipId: own.membershipId }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/at least one admin/),
    });
    await expect(
      api.admin.updateMember({ storeSlug: s.store.slug, membershipId: own.membershipId, role: "staff" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await api.admin.removeMember({ storeSlug: s.store.slug, membershipId: m.membershipId });
    const actions = (
      await db.auditLog.findMany({
        where: { storeId: s.store.id, entity: "Membership" },
        orderBy: { createdAt: "asc" },
      })
    ).map((l) => l.action);
    expect(actions).toEqual(["membership.create", "membership.update", "membership.delete"]);
    const log = JSON.stringify(await db.auditLog.findMany({ where: { storeId: s.store.id } }));
    expect(log).not.toContain("a-first-password");
  });

  it("pages through the audit log, newest first", async () => {
    const api = caller(admin);
    const first = await api.admin.auditLog({ storeSlug: s.store.slug, limit: 3 });
    expect(first.entries).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    const second = await api.admin.auditLog({ storeSlug: s.store.slug, limit: 3, cursor: first.nextCursor! });
    expect(second.entries[0]!.at.getTime()).toBeLessThanOrEqual(first.entries[2]!.at.getTime());
    expect(new Set([...first.entries, ...second.entries].map((e) => e.id)).size).toBe(6);
    expect(first.entries[0]!.user).toMatchObject({ email: admin.email });
  });
});
