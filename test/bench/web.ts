/**
 * bench:web — the web app's report queries on a store with 1M interactions (and their hourly rollups), in a
 * database of its own (shelf_bench next to DATABASE_URL's, or BENCH_DATABASE_URL: everything in its
 * interactions is replaced when it seeds). Seeds once with generate_series SQL into an unlogged, unindexed
 * staging table, from which each month's partition is built and attached (indexes built once per month,
 * not row by row), then times every report handler — the same functions the tRPC procedures run — and
 * prints p50 / p95 per query, with the database's size per table.
 * `--stores N` seeds a chain: N stores with the same zones and products (one catalogue), the interactions
 * spread evenly over them; the store reports are timed on the first store ("bench"), the chain overview
 * over the chain (a super admin's: every store it reads).
 * Usage: npm run bench:web -- [--runs 30] [--interactions 1000000] [--stores 1] [--reseed] [--skip-retention] [--json]
 */
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import {
  createDb,
  type Db,
  deleteExpiredData,
  ensureInteractionPartitions,
  rebuildRollupsFromHours,
  listInteractionPartitions,
  Prisma,
} from "@shelf/db";
import { itemSummaries } from "../../packages/api/src/routers/reports/item-summaries.handler.ts";
import { itemReport } from "../../packages/api/src/routers/reports/item-report.handler.ts";
import { flaggedItems } from "../../packages/api/src/routers/reports/flagged-items.handler.ts";
import { dailyVisits, hourOfDay } from "../../packages/api/src/routers/reports/traffic.handler.ts";
import { storeMap } from "../../packages/api/src/routers/reports/store-map.handler.ts";
import { liveSnapshot } from "../../packages/api/src/routers/live.ts";
import { chainOverview } from "../../packages/api/src/routers/overview/chain-overview.handler.ts";
import { salesOverview } from "../../packages/api/src/routers/sales/sales.handler.ts";
import { ROOT } from "../setup/env.ts";
import { args, machine, percentile, round } from "./stats.ts";

const a = args();
const runs = a.get("runs", 30);
const target = a.get("interactions", 1_000_000);
const storeCount = a.get("stores", 1);
const reseed = process.argv.includes("--reseed");
/**
 * Times the reports without running the retention job first (hours older than 35 days then stay unmerged).
 * At 1,000 stores × 10k interactions the job merges ~6 k hourly rows a store, >5 s a store on this box with
 * cold indexes: its batch transaction timed out (P2028), and 1,000 stores would take over an hour.
 */
const skipRetention = process.argv.includes("--skip-retention");
const base = (process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/shelf").replace(
  /\/[^/?]*(\?.*)?$/,
  "",
);
const url = process.env.BENCH_DATABASE_URL ?? `${base}/shelf_bench`;
const log = (m: string) => a.json || console.error(m);

const ZONES = 10;
const ITEMS_PER_ZONE = 5;
const DAYS = 90;

/** The bench's stores: "bench" (whose store reports are timed) and, with --stores N, bench-0002 … bench-N. */
const BENCH_STORES = `(SELECT id FROM "Store" WHERE slug = 'bench' OR slug LIKE 'bench-%')`;

/** Seconds each seeding step took. */
const seedTimes: Record<string, number> = {};

async function seed(db: Db): Promise<void> {
  log(
    `seeding ${target.toLocaleString("en")} interactions over ${DAYS} days in ${storeCount.toLocaleString("en")} store(s) into ${url} …`,
  );
  const t0 = performance.now();
  let tStep = t0;
  const step = (name: string) => {
    const t = performance.now();
    seedTimes[name] = round((t - tStep) / 1000, 1);
    tStep = t;
    log(`  ${name}: ${seedTimes[name]} s`);
  };
  // The bench database is the bench's own: its interactions go whole (a row-by-row cascade of 10M would
  // take longer than the seed), and its month partitions with them, to be rebuilt from the staging table.
  // Sales, scores and flags likewise (a chain's 4.5M sales rows would go row by row by cascade).
  await db.$executeRawUnsafe(
    `TRUNCATE "Interaction", "HourlyRollup", "DailyRollup", "StoreHourlyRollup", "SalesRecord", "RejectionScore", "Flag" CASCADE`,
  );
  for (const p of await listInteractionPartitions(db)) await db.$executeRawUnsafe(`DROP TABLE "${p.name}"`);
  await db.store.deleteMany({ where: { OR: [{ slug: "bench" }, { slug: { startsWith: "bench-" } }] } });
  await db.item.deleteMany({ where: { sku: { startsWith: "BENCH-" } } });
  const store = await db.store.create({
    data: {
      slug: "bench",
      name: "Bench Market",
      timezone: "Europe/Berlin",
      settings: { create: { minSample: 30, kAnonymity: 5, retentionDays: 400 } },
    },
  });
  const plan = await db.floorPlan.create({
    data: { storeId: store.id, name: "Ground floor", widthM: 60, heightM: 40 },
  });
  const camera = await db.camera.create({
    data: {
      storeId: store.id,
      floorPlanId: plan.id,
      name: "Bench cam",
      sourceUrl: "demo:face-api",
      widthPx: 1280,
      heightPx: 720,
    },
  });
  for (let z = 0; z < ZONES; z++) {
    const x = 2 + (z % 5) * 11;
    const y = z < 5 ? 4 : 24;
    const zone = await db.shelfZone.create({
      data: {
        storeId: store.id,
        floorPlanId: plan.id,
        name: `Aisle ${z + 1}`,
        polygon: [
          { x, y },
          { x: x + 10, y },
          { x: x + 10, y: y + 8 },
          { x, y: y + 8 },
        ],
      },
    });
    for (let i = 0; i < ITEMS_PER_ZONE; i++) {
      const item = await db.item.create({
        data: { sku: `BENCH-${z}-${i}`, name: `Product ${z + 1}.${i + 1}`, category: `category-${z % 4}` },
      });
      await db.planogramSlot.create({
        data: { zoneId: zone.id, itemId: item.id, start: i / ITEMS_PER_ZONE, end: (i + 1) / ITEMS_PER_ZONE },
      });
    }
  }
  // The chain's other stores: copies of the first (settings, floor plan, camera, zones, planogram), in SQL.
  if (storeCount > 1) {
    await db.$executeRaw`
      INSERT INTO "Store" (id, slug, name, timezone, "updatedAt")
      SELECT 'bench-store-' || n, 'bench-' || lpad(n::text, 4, '0'), 'Bench Market ' || lpad(n::text, 4, '0'),
        ${store.timezone}, now()
      FROM generate_series(2, ${storeCount}::int) n`;
    await db.$executeRaw`
      INSERT INTO "StoreSettings" ("storeId", "minSample", "kAnonymity", "retentionDays", "updatedAt")
      SELECT s.id, b."minSample", b."kAnonymity", b."retentionDays", now()
      FROM "Store" s CROSS JOIN "StoreSettings" b WHERE s.slug LIKE 'bench-%' AND b."storeId" = ${store.id}`;
    await db.$executeRaw`
      INSERT INTO "FloorPlan" (id, "storeId", name, "widthM", "heightM", "updatedAt")
      SELECT s.id || '-plan', s.id, p.name, p."widthM", p."heightM", now()
      FROM "Store" s CROSS JOIN "FloorPlan" p WHERE s.slug LIKE 'bench-%' AND p.id = ${plan.id}`;
    await db.$executeRaw`
      INSERT INTO "Camera" (id, "storeId", "floorPlanId", name, "sourceUrl", "widthPx", "heightPx", "updatedAt")
      SELECT s.id || '-cam', s.id, s.id || '-plan', c.name, c."sourceUrl", c."widthPx", c."heightPx", now()
      FROM "Store" s CROSS JOIN "Camera" c WHERE s.slug LIKE 'bench-%' AND c.id = ${camera.id}`;
    await db.$executeRaw`
      INSERT INTO "ShelfZone" (id, "storeId", "floorPlanId", name, polygon, "updatedAt")
      SELECT s.id || '-' || z.id, s.id, s.id || '-plan', z.name, z.polygon, now()
      FROM "Store" s CROSS JOIN "ShelfZone" z WHERE s.slug LIKE 'bench-%' AND z."storeId" = ${store.id}`;
    await db.$executeRaw`
      INSERT INTO "PlanogramSlot" (id, "zoneId", "itemId", start, "end")
      SELECT gen_random_uuid()::text, s.id || '-' || p."zoneId", p."itemId", p.start, p."end"
      FROM "Store" s CROSS JOIN "PlanogramSlot" p JOIN "ShelfZone" z ON z.id = p."zoneId"
      WHERE s.slug LIKE 'bench-%' AND z."storeId" = ${store.id}`;
  }
  step("store");
  // Interactions in opening hours (08–21 UTC), each product with its own share of disgust / anger (5–32 %),
  // generated into an unlogged table without indexes; interaction g goes to slot g mod (stores × products),
  // so every store gets the same share and each store's products the same mix.
  await db.$executeRawUnsafe(`DROP TABLE IF EXISTS bench_staging`);
  await db.$executeRawUnsafe(`CREATE UNLOGGED TABLE bench_staging (LIKE "Interaction" INCLUDING DEFAULTS)`);
  await db.$executeRaw`
    WITH slots AS (
      SELECT row_number() OVER (ORDER BY st.slug, s."itemId") - 1 AS i, z."storeId", c.id AS "cameraId", s."zoneId", s."itemId"
      FROM "PlanogramSlot" s JOIN "ShelfZone" z ON z.id = s."zoneId" JOIN "Store" st ON st.id = z."storeId"
        JOIN "Camera" c ON c."storeId" = st.id
      WHERE st.id IN ${Prisma.raw(BENCH_STORES)}
    ), n AS (SELECT count(*) AS c FROM slots),
    draw AS (
      SELECT g, (g % (SELECT c FROM n)) AS i,
        date_trunc('day', now() AT TIME ZONE 'UTC') - floor(random() * ${DAYS}) * interval '1 day'
          + (8 + floor(random() * 13)) * interval '1 hour' + floor(random() * 3600) * interval '1 second' AS t0,
        random() AS r, (1000 + floor(random() * 9000))::int AS dwell
      FROM generate_series(1, ${target}::int) g
    ), raw AS (
      -- Nothing in the future: today's later hours move to yesterday.
      SELECT g, i, r, dwell, CASE WHEN t0 > now() AT TIME ZONE 'UTC' THEN t0 - interval '1 day' ELSE t0 END AS t FROM draw
    )
    INSERT INTO bench_staging (id, "storeId", "cameraId", "zoneId", "itemId", "startedAt", "endedAt", "dwellMs", "sampleCount",
      "pAngry", "pDisgust", "pFear", "pHappy", "pSad", "pSurprise", "pNeutral", dominant, valence, hesitation, negative)
    SELECT 'bench-' || raw.g, slots."storeId", slots."cameraId", slots."zoneId", slots."itemId", raw.t,
      raw.t + raw.dwell * interval '1 millisecond', raw.dwell, 3, 0.1, 0.1, 0.1, 0.3, 0.1, 0.1, 0.2, d.e::"ExpressionLabel",
      CASE d.e WHEN 'happy' THEN 60 WHEN 'disgust' THEN -70 WHEN 'angry' THEN -60 WHEN 'sad' THEN -40 ELSE 0 END,
      raw.dwell > 7000 AND d.e NOT IN ('happy', 'surprise'), d.e IN ('disgust', 'angry')
    FROM raw JOIN slots ON slots.i = raw.i
    CROSS JOIN LATERAL (SELECT CASE
      WHEN raw.r < 0.05 + (raw.i % 10) * 0.03 THEN (CASE WHEN raw.g % 3 = 0 THEN 'angry' ELSE 'disgust' END)
      WHEN raw.r < 0.45 THEN 'happy' WHEN raw.r < 0.52 THEN 'sad' WHEN raw.r < 0.56 THEN 'fear'
      WHEN raw.r < 0.62 THEN 'surprise' ELSE 'neutral' END AS e) d`;
  step("generate interactions (staging)");
  // The rollups the worker keeps as interactions land, built in one statement.
  await db.$executeRaw`
    INSERT INTO "HourlyRollup" (id, "storeId", "zoneId", "itemKey", "itemId", hour, expression, count,
      "hesitationCount", "dwellMsSum", "valenceSum")
    SELECT gen_random_uuid()::text, "storeId", "zoneId", coalesce("itemId", ''), "itemId", date_trunc('hour', "startedAt"), dominant,
      count(*), count(*) FILTER (WHERE hesitation), sum("dwellMs"), sum(valence)
    FROM bench_staging
    GROUP BY "storeId", "zoneId", "itemId", date_trunc('hour', "startedAt"), dominant`;
  step("hourly rollups");
  // And their store-local days and the store's hourly totals, which the worker increments beside each hour.
  const stores = await db.store.findMany({
    where: { OR: [{ slug: "bench" }, { slug: { startsWith: "bench-" } }] },
    select: { id: true },
  });
  for (const s of stores)
    await db.$transaction((tx) => rebuildRollupsFromHours(tx, s.id), { timeout: 3_600_000 });
  step("daily rollups, store hourly totals");
  // Each month's partition built from the staging table and attached (the migration's function), then the
  // months ahead as the worker's maintenance keeps them.
  const months = await db.$queryRawUnsafe<{ m: Date }[]>(
    `SELECT DISTINCT date_trunc('month', "startedAt") AS m FROM bench_staging ORDER BY 1`,
  );
  for (const { m } of months)
    await db.$queryRawUnsafe(
      `SELECT "interaction_partition_create"($1::timestamp, 'bench_staging')`,
      m.toISOString().slice(0, 19),
    );
  await ensureInteractionPartitions(db);
  await db.$executeRawUnsafe(`DROP TABLE bench_staging`);
  step("month partitions (copy, index, attach)");
  // Scores and flags as the worker leaves them; a year of daily sales for every product. A product with no
  // negative interaction in the window (small seeds) has 0 negatives, not the FILTERed sum's null.
  await db.$executeRaw`
    INSERT INTO "RejectionScore" (id, "storeId", "itemId", "windowStart", "windowEnd", n, negatives, rate, lower, upper, "computedAt")
    SELECT gen_random_uuid()::text, "storeId", "itemId", now() - interval '7 days', now(), sum(count)::int,
      coalesce(sum(count) FILTER (WHERE expression IN ('disgust', 'angry')), 0)::int, 0, 0, 0, now()
    FROM "HourlyRollup" WHERE hour >= now() - interval '7 days' GROUP BY "storeId", "itemId"`;
  await db.$executeRaw`UPDATE "RejectionScore" SET rate = negatives::float / n, lower = greatest(0, negatives::float / n - 0.03),
    upper = least(1, negatives::float / n + 0.03)`;
  await db.$executeRaw`
    INSERT INTO "Flag" (id, "storeId", "itemId", "raisedAt", rate, lower, upper, n, negatives, threshold, "thresholdLevel", "windowHours")
    SELECT gen_random_uuid()::text, "storeId", "itemId", now(), rate, lower, upper, n, negatives, 0.2, 'global', 168
    FROM "RejectionScore" WHERE lower > 0.2`;
  await db.$executeRaw`
    INSERT INTO "SalesRecord" (id, "storeId", "itemId", "periodStart", "periodEnd", units, "revenueMinor", currency, "importedAt")
    SELECT gen_random_uuid()::text, z."storeId", s."itemId", d, d + interval '1 day', (random() * 40)::int, (random() * 10000)::int, 'EUR', now()
    FROM "PlanogramSlot" s JOIN "ShelfZone" z ON z.id = s."zoneId"
    CROSS JOIN generate_series(date_trunc('day', now()) - ${DAYS}::int * interval '1 day', date_trunc('day', now()), interval '1 day') d
    WHERE z."storeId" IN ${Prisma.raw(BENCH_STORES)}`;
  step("scores, flags, sales");
  // The whole bench database: the stores' zones and planogram slots too (copied in bulk above, never analysed,
  // their rows not yet hinted: the chain overview's planogram read took 50–85 ms on them, 15 ms after).
  await db.$executeRawUnsafe(`VACUUM ANALYZE`);
  step("vacuum analyze");
  seedTimes.total = round((performance.now() - t0) / 1000, 1);
  log(`  seeded in ${seedTimes.total} s`);
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [path.join(ROOT, "scripts/prisma/migrate.mjs"), "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
    stdio: a.json ? "ignore" : ["ignore", "ignore", "inherit"],
  });
  const db = createDb({ url, poolMax: 5 });
  try {
    const benchStores = { OR: [{ slug: "bench" }, { slug: { startsWith: "bench-" } }] };
    const seeded = await db.store.count({ where: benchStores });
    // Every interaction in the bench database is the bench stores'.
    const count = seeded ? await db.interaction.count() : 0;
    if (reseed || count !== target || seeded !== storeCount) await seed(db);
    else
      log(
        `reusing the seeded bench stores (${seeded.toLocaleString("en")}, ${count.toLocaleString("en")} interactions; --reseed to rebuild)`,
      );
    const store = await db.store.findUniqueOrThrow({
      where: { slug: "bench" },
      select: { id: true, slug: true, name: true, timezone: true },
    });
    // As production leaves the rollups: the hourly retention job merges hours older than ROLLUP_HOURLY_DAYS
    // into store-local days (idempotent). The store keeps its interactions longer than the seeded 90 days.
    await db.storeSettings.updateMany({ where: { store: benchStores }, data: { retentionDays: 400 } });
    const t = performance.now();
    const retention = skipRetention ? [] : await deleteExpiredData(db);
    const retentionSeconds = round((performance.now() - t) / 1000, 1);
    log(
      `  retention job: ${retention.reduce((n, r) => n + r.rollupsMerged, 0).toLocaleString("en")} hourly rollup rows merged into days (${retentionSeconds} s)`,
    );
    await db.$executeRawUnsafe(`VACUUM ANALYZE "HourlyRollup", "DailyRollup", "StoreHourlyRollup"`);
    // Every bench store's rows (the whole tables: the bench database holds nothing else).
    const [interactions, rollups, dailyRollups, storeHourlyRollups] = await Promise.all([
      db.interaction.count(),
      db.hourlyRollup.count(),
      db.dailyRollup.count(),
      db.storeHourlyRollup.count(),
    ]);
    const item = await db.item.findFirstOrThrow({ where: { sku: "BENCH-3-2" }, select: { id: true } });
    const ctx = { db, store };
    const superAdmin = { id: "bench", email: "bench@localhost", name: "Bench", isSuperAdmin: true };
    const slug = store.slug;
    const days = (n: number) => new Date(Date.now() - n * 86_400_000);
    const queries: [string, () => Promise<unknown>][] = [
      ["products, 30 days (itemSummaries)", () => itemSummaries({ ctx, input: { storeSlug: slug } })],
      ["products, 90 days", () => itemSummaries({ ctx, input: { storeSlug: slug, from: days(90) } })],
      [
        "product report, 30 days by day (itemReport)",
        () => itemReport({ ctx, input: { storeSlug: slug, itemId: item.id, bucket: "day" } }),
      ],
      [
        "product report, 7 days by hour",
        () => itemReport({ ctx, input: { storeSlug: slug, itemId: item.id, from: days(7), bucket: "hour" } }),
      ],
      [
        "flagged products (flaggedItems)",
        () => flaggedItems({ ctx, input: { storeSlug: slug, clearedWithinDays: 30 } }),
      ],
      ["hour of day, 30 days (hourOfDay)", () => hourOfDay({ ctx, input: { storeSlug: slug } })],
      [
        "daily visits, 90 days (dailyVisits)",
        () => dailyVisits({ ctx, input: { storeSlug: slug, from: days(90) } }),
      ],
      ["store map, 30 days (storeMap)", () => storeMap({ ctx, input: { storeSlug: slug } })],
      [
        "store map, 30 days, negative only",
        () => storeMap({ ctx, input: { storeSlug: slug, expressions: ["angry", "disgust"] } }),
      ],
      ["live snapshot (live.snapshot)", () => liveSnapshot({ ctx })],
      [
        "chain overview, 7 days (overview.chain)",
        () => chainOverview({ ctx: { db, user: superAdmin }, input: { days: 7, limit: 10 } }),
      ],
      ["sales overview (sales.overview)", () => salesOverview({ ctx })],
    ];
    const results: { query: string; p50Ms: number; p95Ms: number; meanMs: number; runs: number }[] = [];
    const loadStart = os.loadavg().map((l) => round(l, 2));
    for (const [name, run] of queries) {
      for (let i = 0; i < 3; i++) await run(); // warm caches and the connection pool
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await run();
        times.push(performance.now() - t);
      }
      results.push({
        query: name,
        p50Ms: round(percentile(times, 50), 1),
        p95Ms: round(percentile(times, 95), 1),
        meanMs: round(times.reduce((s, x) => s + x, 0) / times.length, 1),
        runs,
      });
      log(`  ${name}: p50 ${round(percentile(times, 50), 1)} ms`);
    }
    const [size] = await db.$queryRaw<
      {
        interactionBytes: bigint;
        partitions: number;
        rollupBytes: bigint;
        dailyRollupBytes: bigint;
        storeHourlyRollupBytes: bigint;
        databaseBytes: bigint;
      }[]
    >`
      SELECT (SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0)::bigint FROM pg_inherits
          WHERE inhparent = '"Interaction"'::regclass) AS "interactionBytes",
        (SELECT count(*)::int FROM pg_inherits WHERE inhparent = '"Interaction"'::regclass) AS partitions,
        pg_total_relation_size('"HourlyRollup"') AS "rollupBytes",
        pg_total_relation_size('"DailyRollup"') AS "dailyRollupBytes",
        pg_total_relation_size('"StoreHourlyRollup"') AS "storeHourlyRollupBytes",
        pg_database_size(current_database()) AS "databaseBytes"`;
    const mib = (b: bigint | undefined) => round(Number(b ?? 0n) / 2 ** 20, 1);
    const report = {
      bench: "web",
      stores: await db.store.count({ where: benchStores }),
      interactions,
      rollups,
      dailyRollups,
      storeHourlyRollups,
      days: DAYS,
      products: ZONES * ITEMS_PER_ZONE,
      // Interaction: every partition with its indexes (pg_total_relation_size of each, summed).
      sizeMiB: {
        interactions: mib(size?.interactionBytes),
        interactionPartitions: size?.partitions ?? 0,
        rollups: mib(size?.rollupBytes),
        dailyRollups: mib(size?.dailyRollupBytes),
        storeHourlyRollups: mib(size?.storeHourlyRollupBytes),
        database: mib(size?.databaseBytes),
      },
      seedSeconds: Object.keys(seedTimes).length ? seedTimes : null,
      // The retention job over every store before the timing (merges hours older than 35 days into days).
      retentionSeconds: skipRetention ? null : retentionSeconds,
      // 1-, 5- and 15-minute load averages when the timing began and when it ended (a shared box).
      loadAverage: { start: loadStart, end: os.loadavg().map((l) => round(l, 2)) },
      machine: machine(),
      results,
    };
    if (a.json) {
      console.log(JSON.stringify(report, null, 2));
      return;
    }
    const w = Math.max(...results.map((r) => r.query.length));
    console.log(
      `\nReport queries on ${interactions.toLocaleString("en")} interactions in ${storeCount.toLocaleString("en")} store(s) (${rollups.toLocaleString("en")} hourly, ${dailyRollups.toLocaleString("en")} daily, ${storeHourlyRollups.toLocaleString("en")} store hourly rollup rows), ${runs} runs each`,
    );
    console.log(`  ${"query".padEnd(w)}  ${"p50 ms".padStart(8)}  ${"p95 ms".padStart(8)}`);
    for (const r of results)
      console.log(`  ${r.query.padEnd(w)}  ${String(r.p50Ms).padStart(8)}  ${String(r.p95Ms).padStart(8)}`);
    console.log(`\n${JSON.stringify(report)}`);
  } finally {
    await db.$disconnect();
  }
}

await main();
