import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue, QueueEvents } from "bullmq";
import { pino } from "pino";
import { QUEUES, redisLayout } from "@shelf/core";
import { createDb, DEMO_PRODUCTS, DEMO_STORES, DEMO_STORY, seedDemoChain, type Db } from "@shelf/db";
import { CONSENT_TEXT, DEFAULT_QUESTIONS, summarizeItemResponses } from "@shelf/survey-engine";
import { createTextAnalyzer } from "@shelf/survey-engine/text";
import { startWorkers, type RunningWorkers } from "@shelf/worker";
import { enqueueDemoRescores } from "../../prisma/demo-rescore.ts";
import { randomPrefix, ROOT, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";

const DAY_MS = 86_400_000;

/**
 * The demo chain (`npm start` in demo mode) seeded into a fresh database: the story it must tell, written the
 * way the product writes it, scored by the real worker, and idempotent. Also: production never seeds it.
 */
describe("demo chain seed (fresh PostgreSQL, real worker scoring)", () => {
  // A database of its own: the seed owns the chain's stores and the global threshold.
  const url = (() => {
    const u = new URL(testDatabaseUrl());
    u.pathname = `${u.pathname}_demoseed`;
    return u.toString();
  })();
  const redisUrl = testRedisUrl();
  const prefix = randomPrefix("demoseed");
  const analyzer = createTextAnalyzer();
  const options = { analyzer, questions: DEFAULT_QUESTIONS, consentVersion: CONSENT_TEXT.version };
  let db: Db;
  let workers: RunningWorkers | undefined;
  let first: Awaited<ReturnType<typeof seedDemoChain>>;
  const ids = { rejected: "", moved: "" };

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(ROOT, "scripts/drop-database.mjs"), url], { cwd: ROOT });
    execFileSync(process.execPath, [path.join(ROOT, "scripts/prisma/migrate.mjs"), "deploy"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url },
      stdio: "ignore",
    });
    db = createDb({ url });
    first = await seedDemoChain(db, options);
    ids.rejected = (await db.item.findUniqueOrThrow({ where: { sku: DEMO_STORY.rejected.sku } })).id;
    ids.moved = (await db.item.findUniqueOrThrow({ where: { sku: DEMO_STORY.moved.sku } })).id;
  });

  afterAll(async () => {
    await workers?.close();
    const q = new Queue(QUEUES.rescore, {
      connection: { url: redisUrl },
      prefix: redisLayout(prefix).central,
    });
    await q.obliterate({ force: true });
    await q.close();
    await db?.$disconnect();
  });

  it("seeds a chain of stores and ~40 products in seconds", async () => {
    console.log(`demo seed: ${JSON.stringify({ counts: first.counts, ms: first.ms })}`);
    expect(first.created).toBe(true);
    expect(first.ms.total).toBeLessThan(45_000);
    const stores = await db.store.findMany({ where: { slug: { in: DEMO_STORES.map((s) => s.slug) } } });
    expect(stores.length).toBeGreaterThanOrEqual(2);
    const onShelves = await db.planogramSlot.findMany({
      where: { zone: { storeId: { in: stores.map((s) => s.id) } } },
      distinct: ["itemId"],
      select: { itemId: true },
    });
    expect(onShelves.length).toBeGreaterThanOrEqual(35);
    expect(onShelves.length).toBeLessThanOrEqual(45);
    // Every product has history in every store.
    const perStore = await db.hourlyRollup.groupBy({ by: ["storeId", "itemId"], _sum: { count: true } });
    expect(perStore.length).toBe(stores.length * DEMO_PRODUCTS.length);
  });

  it("writes ≥ 8 weeks of hourly, daily and store hourly rollups that sum exactly to the interactions", async () => {
    const span = await db.hourlyRollup.aggregate({ _min: { hour: true }, _max: { hour: true } });
    expect(span._max.hour!.getTime() - span._min.hour!.getTime()).toBeGreaterThanOrEqual(
      8 * 7 * DAY_MS - DAY_MS,
    );
    // Group the interactions as the interaction writer does (hour of startedAt, dominant) and compare.
    const [mismatch] = await db.$queryRaw<{ n: bigint; interactions: bigint; rolled: bigint }[]>`
      WITH i AS (
        SELECT "storeId", "zoneId", COALESCE("itemId", '') AS "itemKey", date_trunc('hour', "startedAt") AS hour,
          dominant AS expression, count(*)::int AS c, count(*) FILTER (WHERE hesitation)::int AS h,
          sum("dwellMs")::bigint AS d, sum(valence) AS v
        FROM "Interaction" GROUP BY 1, 2, 3, 4, 5)
      SELECT count(*) FILTER (WHERE i.c IS DISTINCT FROM r.count OR i.h IS DISTINCT FROM r."hesitationCount"
          OR i.d IS DISTINCT FROM r."dwellMsSum" OR abs(i.v - r."valenceSum") > 1e-6 OR i.v IS NULL OR r.count IS NULL) AS n,
        (SELECT count(*) FROM "Interaction") AS interactions, (SELECT sum(count) FROM "HourlyRollup") AS rolled
      FROM i FULL OUTER JOIN "HourlyRollup" r USING ("storeId", "zoneId", "itemKey", hour, expression)`;
    expect(Number(mismatch!.interactions)).toBe(first.counts.interactions);
    expect(Number(mismatch!.rolled)).toBe(first.counts.interactions);
    expect(Number(mismatch!.n)).toBe(0);
    // The daily rollups: the same interactions per day of the store's time zone (the day of the hour's start,
    // as the worker increments it), every cell and sum.
    const [daily] = await db.$queryRaw<{ n: bigint; rolled: bigint; rows: bigint }[]>`
      WITH i AS (
        SELECT i."storeId", "zoneId", COALESCE("itemId", '') AS "itemKey",
          (date_trunc('day', (date_trunc('hour', "startedAt") AT TIME ZONE 'UTC') AT TIME ZONE s.timezone)
            AT TIME ZONE s.timezone) AT TIME ZONE 'UTC' AS day,
          dominant AS expression, count(*)::int AS c, count(*) FILTER (WHERE hesitation)::int AS h,
          sum("dwellMs")::bigint AS d, sum(valence) AS v
        FROM "Interaction" i JOIN "Store" s ON s.id = i."storeId" GROUP BY 1, 2, 3, 4, 5)
      SELECT count(*) FILTER (WHERE i.c IS DISTINCT FROM r.count OR i.h IS DISTINCT FROM r."hesitationCount"
          OR i.d IS DISTINCT FROM r."dwellMsSum" OR abs(i.v - r."valenceSum") > 1e-6 OR i.v IS NULL OR r.count IS NULL) AS n,
        (SELECT sum(count) FROM "DailyRollup") AS rolled, (SELECT count(*) FROM "DailyRollup") AS rows
      FROM i FULL OUTER JOIN "DailyRollup" r USING ("storeId", "zoneId", "itemKey", day, expression)`;
    expect(Number(daily!.rolled)).toBe(first.counts.interactions);
    expect(Number(daily!.rows)).toBeGreaterThan(0);
    expect(Number(daily!.n)).toBe(0);
    // The store's hourly totals: the same interactions per store, hour and expression.
    const [totals] = await db.$queryRaw<{ n: bigint; rolled: bigint; rows: bigint }[]>`
      WITH i AS (
        SELECT "storeId", date_trunc('hour', "startedAt") AS hour, dominant AS expression, count(*)::int AS c,
          count(*) FILTER (WHERE hesitation)::int AS h, sum("dwellMs")::bigint AS d, sum(valence) AS v
        FROM "Interaction" GROUP BY 1, 2, 3)
      SELECT count(*) FILTER (WHERE i.c IS DISTINCT FROM r.count OR i.h IS DISTINCT FROM r."hesitationCount"
          OR i.d IS DISTINCT FROM r."dwellMsSum" OR abs(i.v - r."valenceSum") > 1e-6 OR i.v IS NULL OR r.count IS NULL) AS n,
        (SELECT sum(count) FROM "StoreHourlyRollup") AS rolled, (SELECT count(*) FROM "StoreHourlyRollup") AS rows
      FROM i FULL OUTER JOIN "StoreHourlyRollup" r USING ("storeId", hour, expression)`;
    expect(Number(totals!.rolled)).toBe(first.counts.interactions);
    expect(Number(totals!.rows)).toBeGreaterThan(0);
    expect(Number(totals!.n)).toBe(0);
    // A weekly pattern: Saturdays are busier than Tuesdays in the main store (store-local days).
    const byDay = await db.$queryRaw<{ dow: number; n: bigint }[]>`
      SELECT extract(dow FROM ("startedAt" AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Berlin')::int AS dow, count(*) AS n
      FROM "Interaction" i JOIN "Store" s ON s.id = i."storeId" WHERE s.slug = 'demo' GROUP BY 1`;
    const day = (d: number) => Number(byDay.find((r) => r.dow === d)?.n ?? 0);
    expect(day(6)).toBeGreaterThan(day(2) * 1.2);
    expect(day(0)).toBe(0); // closed on Sundays
  });

  it("makes one product's negative-expression rate stand out, and the real worker flags it alone", async () => {
    const since = new Date(Date.now() - 7 * DAY_MS);
    const rates = await db.$queryRaw<{ itemId: string; storeId: string; n: bigint; neg: bigint }[]>`
      SELECT "itemId", "storeId", count(*) AS n, count(*) FILTER (WHERE negative) AS neg
      FROM "Interaction" WHERE "startedAt" >= ${since} GROUP BY 1, 2`;
    for (const { storeId } of first.stores) {
      const here = rates.filter((r) => r.storeId === storeId);
      const rejected = here.find((r) => r.itemId === ids.rejected)!;
      const others = here.filter((r) => r.itemId !== ids.rejected);
      const rate = (neg: number, n: number) => neg / n;
      const pooled = rate(
        others.reduce((a, r) => a + Number(r.neg), 0),
        others.reduce((a, r) => a + Number(r.n), 0),
      );
      expect(rate(Number(rejected.neg), Number(rejected.n))).toBeGreaterThan(0.3);
      expect(rate(Number(rejected.neg), Number(rejected.n))).toBeGreaterThan(4 * pooled);
      for (const r of others.filter((o) => Number(o.n) >= 50))
        expect(rate(Number(r.neg), Number(r.n))).toBeLessThan(0.2);
    }

    const analyzerStub = { classify: () => Promise.reject(new Error("scoring never classifies")) };
    workers = startWorkers({
      db,
      redisUrl,
      prefix,
      analyzer: analyzerStub,
      logger: pino({ level: "silent" }),
    });
    const events = new QueueEvents(QUEUES.rescore, {
      connection: { url: redisUrl },
      prefix: redisLayout(prefix).central,
    });
    await events.waitUntilReady();
    const jobIds = await enqueueDemoRescores({
      redisUrl,
      prefix,
      storeIds: first.stores.map((s) => s.storeId),
    });
    const queue = new Queue(QUEUES.rescore, {
      connection: { url: redisUrl },
      prefix: redisLayout(prefix).central,
    });
    for (const id of jobIds) await (await queue.getJob(id))!.waitUntilFinished(events, 30_000);
    await events.close();
    await queue.close();

    const flags = await db.flag.findMany({ where: { clearedAt: null } });
    expect(new Set(flags.map((f) => f.itemId))).toEqual(new Set([ids.rejected]));
    expect(flags.length).toBe(first.stores.length);
    expect(await db.rejectionScore.count()).toBe(first.stores.length * DEMO_PRODUCTS.length);
  });

  it("stores consenting shoppers' answers whose topic summary names the reason", async () => {
    const responses = await db.surveyResponse.findMany({ where: { itemId: ids.rejected } });
    expect(responses.length).toBeGreaterThanOrEqual(20);
    const declined = await db.consent.count({ where: { granted: false, invite: { itemId: ids.rejected } } });
    expect(declined).toBeGreaterThan(0);
    for (const r of responses) expect(r.consentTextVersion).toBe(CONSENT_TEXT.version);
    const summary = summarizeItemResponses({ questions: DEFAULT_QUESTIONS, responses, declined });
    expect(summary.topics[0]!.keywords).toContain("aftertaste");
    expect(summary.topics[0]!.share).toBeGreaterThan(0.5);
    expect(summary.sentiment.mean!).toBeLessThan(0);
    const reason = summary.choices.find((c) => c.questionId === "reason")!;
    const top = [...reason.options].sort((a, b) => b.count - a.count)[0]!;
    expect(top.id).toBe("taste");
  });

  it("imports daily sales for every store", async () => {
    for (const s of first.stores) {
      const rows = await db.salesRecord.findMany({ where: { storeId: s.storeId }, take: 50 });
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        const hours = (r.periodEnd.getTime() - r.periodStart.getTime()) / 3_600_000;
        expect([23, 24, 25]).toContain(hours);
      }
    }
  });

  it("shows the planogram move as a before and an after", async () => {
    const main = first.stores.find((s) => s.slug === DEMO_STORY.moved.storeSlug)!;
    const zones = await db.shelfZone.findMany({ where: { storeId: main.storeId } });
    const zoneId = (name: string) => zones.find((z) => z.name === name)!.id;
    const slot = await db.planogramSlot.findFirstOrThrow({
      where: { itemId: ids.moved, zone: { storeId: main.storeId } },
    });
    expect(slot.zoneId).toBe(zoneId(DEMO_STORY.moved.toZone));
    const moves = await db.auditLog.findMany({
      where: { storeId: main.storeId, action: "zone.update", entity: "ShelfZone" },
    });
    expect(moves.length).toBe(2);
    const movedAt = moves[0]!.createdAt.getTime();
    expect(slot.createdAt.getTime()).toBe(movedAt);

    const rows = await db.interaction.findMany({
      where: { storeId: main.storeId, itemId: ids.moved },
      select: { startedAt: true, zoneId: true, negative: true, dominant: true },
    });
    const before = rows.filter((r) => r.startedAt.getTime() < movedAt);
    const after = rows.filter((r) => r.startedAt.getTime() >= movedAt);
    expect(new Set(before.map((r) => r.zoneId))).toEqual(new Set([zoneId(DEMO_STORY.moved.fromZone)]));
    expect(new Set(after.map((r) => r.zoneId))).toEqual(new Set([zoneId(DEMO_STORY.moved.toZone)]));
    const first4Weeks = before.filter((r) => r.startedAt.getTime() >= movedAt - 28 * DAY_MS).length;
    expect(after.length).toBeGreaterThan(first4Weeks * 1.4); // 28 days after vs 28 days before
    const happy = (xs: typeof rows) => xs.filter((r) => r.dominant === "happy").length / xs.length;
    expect(happy(after)).toBeGreaterThan(happy(before) + 0.1);
  });

  it("adds nothing on a second run", async () => {
    const count = async () => ({
      stores: await db.store.count(),
      items: await db.item.count(),
      interactions: await db.interaction.count(),
      rollups: await db.hourlyRollup.count(),
      sales: await db.salesRecord.count(),
      responses: await db.surveyResponse.count(),
      audit: await db.auditLog.count(),
    });
    const before = await count();
    const again = await seedDemoChain(db, options);
    expect(again.created).toBe(false);
    expect(await count()).toEqual(before);
  });

  it("is never created outside demo mode: the seed script refuses production, start.sh never calls it", async () => {
    const store = () => db.store.count({ where: { slug: { in: DEMO_STORES.map((s) => s.slug) } } });
    await db.store.deleteMany({ where: { slug: { in: DEMO_STORES.map((s) => s.slug) } } });
    const env = { ...process.env, DATABASE_URL: url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix };
    const seed = spawnSync("npx", ["tsx", "prisma/seed.ts"], {
      cwd: ROOT,
      env: { ...env, SHELF_MODE: "production" },
      encoding: "utf8",
    });
    expect(seed.status).not.toBe(0);
    expect(seed.stderr).toMatch(/refusing to seed demo data/);
    expect(await store()).toBe(0);

    // start.sh's decisions, with `npm` replaced by a recorder (no install, no build, no server: the shared
    // checkout is never touched); node, PostgreSQL and the demo-exists check are real.
    const dir = mkdtempSync(path.join(tmpdir(), "shelf-demoseed-"));
    try {
      const log = path.join(dir, "npm-calls");
      mkdirSync(path.join(dir, "bin"));
      writeFileSync(path.join(dir, "bin", "npm"), `#!/bin/sh\necho "$*" >> "${log}"\n`, { mode: 0o755 });
      const run = (args: string[]) => {
        rmSync(log, { force: true });
        const r = spawnSync("bash", ["scripts/start.sh", ...args, "--no-build"], {
          cwd: ROOT,
          env: {
            ...env,
            PATH: `${path.join(dir, "bin")}:${process.env.PATH}`,
            SHELF_DATA_DIR: path.join(dir, "data"),
            NEXT_DIST_DIR: ".next-never-built-demoseed",
          },
          encoding: "utf8",
          timeout: 30_000,
        });
        const calls = existsSync(log) ? readFileSync(log, "utf8") : "";
        return { stderr: r.stderr, calls };
      };
      const prod = run(["--production"]);
      expect(prod.stderr.split("\n")[0]).toMatch(/PRODUCTION mode/);
      expect(prod.stderr).toMatch(/--no-build, but there is no build/);
      expect(prod.calls).toMatch(/db:migrate:deploy/);
      expect(prod.calls).not.toMatch(/db:seed|seed:demo-users/);
      // The same path in demo mode does seed: the recorder sees it (so the check above can fail).
      const demo = run(["--demo"]);
      expect(demo.stderr.split("\n")[0]).toMatch(/DEMO mode/);
      expect(demo.calls).toMatch(/db:seed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(await store()).toBe(0);
  });
});
