import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import {
  createDb,
  type Db,
  ensureInteractionPartitions,
  listInteractionPartitions,
  partitionName,
} from "@shelf/db";
import { type InteractionRecord, writeInteraction } from "../../apps/worker/src/interaction-writer.ts";
import { runRetention } from "../../apps/worker/src/processors/maintenance.ts";
import { ROOT, testDatabaseUrl } from "../setup/env.ts";
import { createWebStore, type WebStore } from "../support/web-fixtures.ts";

const MIGRATION = "20261201060000_interaction_partitions";
const migrate = path.join(ROOT, "scripts/prisma/migrate.mjs");

/** A database of this file's own (the shared test database keeps its partitions as they are). */
function ownDatabaseUrl(suffix: string): string {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_${suffix}`;
  return url.toString();
}

function run(cmd: string, url: string, env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, [migrate, cmd], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, ...env },
    encoding: "utf8",
  });
}

function dropDatabase(url: string): void {
  execFileSync(process.execPath, [path.join(ROOT, "scripts/drop-database.mjs"), url]);
}

/** Inserts one interaction at `startedAt` the way the worker's writer does, without its rollup. */
async function insertInteraction(db: Db, s: WebStore, id: string, startedAt: Date): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "Interaction" (id, "storeId", "cameraId", "zoneId", "itemId", "startedAt", "endedAt", "dwellMs",
      "sampleCount", "pAngry", "pDisgust", "pFear", "pHappy", "pSad", "pSurprise", "pNeutral", dominant, valence,
      hesitation, negative)
    VALUES (${id}, ${s.store.id}, ${s.cameraId}, ${s.zones.snacks}, ${s.items.crisps.id}, ${startedAt},
      ${new Date(startedAt.getTime() + 4000)}, 4000, 3, 0.1, 0.4, 0.1, 0.1, 0.1, 0.1, 0.1, 'disgust', -70, false, true)`;
}

/** Each row's id and the partition that holds it. */
async function placement(db: Db): Promise<Map<string, string>> {
  const rows = await db.$queryRaw<{ id: string; part: string }[]>`
    SELECT id, tableoid::regclass::text AS part FROM "Interaction"`;
  return new Map(rows.map((r) => [r.id, r.part.replaceAll('"', "")]));
}

const silent = pino({ level: "silent" });

describe("interaction partitions: the migration", () => {
  const url = ownDatabaseUrl("partmig");
  const history = mkdtempSync(path.join(tmpdir(), "shelf-migrations-"));
  let db: Db | undefined;

  afterAll(async () => {
    await db?.$disconnect();
    rmSync(history, { recursive: true, force: true });
    dropDatabase(url);
  });

  it("moves an existing table's rows into month partitions, every column kept, and leaves no drift", async () => {
    dropDatabase(url);
    // The history before this migration, deployed from a copy of the folder without it and what came after.
    cpSync(path.join(ROOT, "prisma/migrations"), history, { recursive: true });
    for (const name of readdirSync(history))
      if (/^\d{14}_/.test(name) && name >= MIGRATION) rmSync(path.join(history, name), { recursive: true });
    run("deploy", url, { PRISMA_MIGRATIONS_DIR: history });
    db = createDb({ url, poolMax: 2 });
    expect(
      await db.$queryRaw<
        { kind: string }[]
      >`SELECT relkind::text AS kind FROM pg_class WHERE relname = 'Interaction'`,
    ).toEqual([{ kind: "r" }]);

    const s = await createWebStore(db);
    const now = new Date();
    const at: Record<string, Date> = {
      old: new Date("2025-03-14T10:00:00.000Z"),
      lastMs: new Date("2026-06-30T23:59:59.999Z"), // the last instant of June …
      firstMs: new Date("2026-07-01T00:00:00.000Z"), // … and the first of July
      recent: new Date(now.getTime() - 3_600_000),
    };
    for (const [id, t] of Object.entries(at)) await insertInteraction(db, s, id, t);
    const before = await db.$queryRaw<object[]>`SELECT * FROM "Interaction" ORDER BY id`;

    const out = run("deploy", url);
    expect(out).toContain(MIGRATION);

    // Every row, every column as it was.
    expect(await db.$queryRaw<object[]>`SELECT * FROM "Interaction" ORDER BY id`).toEqual(before);
    const where = await placement(db);
    for (const [id, t] of Object.entries(at)) expect(where.get(id)).toBe(partitionName(t));
    expect(where.get("lastMs")).toBe("Interaction_y2026m06");
    expect(where.get("firstMs")).toBe("Interaction_y2026m07");
    // This month and the next two exist ahead; nothing waits in the default partition.
    const names = (await listInteractionPartitions(db)).map((p) => p.name);
    const month = (k: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1));
    for (const k of [0, 1, 2]) expect(names).toContain(partitionName(month(k)));
    expect(names).toContain("Interaction_y2025m03");
    expect(await db.$queryRaw`SELECT count(*)::int AS n FROM "Interaction_default"`).toEqual([{ n: 0 }]);

    // The worker's exactly-once write still works on the partitioned key.
    const record: InteractionRecord = {
      id: "after-migration",
      context: {
        storeId: s.store.id,
        cameraId: s.cameraId,
        zoneId: s.zones.drinks,
        itemId: s.items.cola.id,
        trackKey: "run:1:1",
        calibrationVersion: 1,
      },
      startedAt: at.recent!.getTime(),
      endedAt: at.recent!.getTime() + 3000,
      dwellMs: 3000,
      sampleCount: 2,
      meanProbs: [0, 0, 0, 1, 0, 0, 0],
      dominant: "happy",
      valence: 80,
      hesitation: false,
      negative: false,
    };
    expect(await writeInteraction(db, record)).toBe(true);
    expect(await writeInteraction(db, record)).toBe(false);
    expect(await db.interaction.count({ where: { id: "after-migration" } })).toBe(1);

    // schema.prisma, the migrations and the database agree, partitions included.
    expect(run("check", url)).toContain("No drift");
  });
});

describe("interaction partitions: maintenance", () => {
  const url = ownDatabaseUrl("partmaint");
  let db: Db | undefined;

  afterAll(async () => {
    await db?.$disconnect();
    dropDatabase(url);
  });

  it("creates months ahead, drops a month every store's retention has passed, deletes rows of a month one store keeps", async () => {
    dropDatabase(url);
    run("deploy", url);
    db = createDb({ url, poolMax: 2 });
    const brief = await createWebStore(db); // keeps 30 days
    const long = await createWebStore(db); // keeps 400 days
    await db.storeSettings.update({ where: { storeId: brief.store.id }, data: { retentionDays: 30 } });
    await db.storeSettings.update({ where: { storeId: long.store.id }, data: { retentionDays: 400 } });

    // Two years before "now": the maintenance of that time created June–August 2029.
    const created2029 = await ensureInteractionPartitions(db, { now: new Date("2029-06-10T08:00:00Z") });
    expect(created2029.created).toEqual([
      "Interaction_y2029m06",
      "Interaction_y2029m07",
      "Interaction_y2029m08",
    ]);
    const rows: [WebStore, string, string][] = [
      [brief, "brief-2029", "2029-06-20T10:00:00Z"], // past both stores' retention
      [long, "long-2029", "2029-06-21T10:00:00Z"],
      [brief, "brief-2030", "2030-12-05T10:00:00Z"], // past 30 days, within 400: a month one store keeps
      [long, "long-2030", "2030-12-06T10:00:00Z"],
      [brief, "brief-recent", "2031-03-10T10:00:00Z"],
      [long, "long-recent", "2031-03-11T10:00:00Z"],
    ];
    for (const [s, id, t] of rows) await insertInteraction(db, s, id, new Date(t));
    // December 2030 and March 2031 have no partition yet: their rows wait in the default partition.
    expect((await placement(db)).get("long-2030")).toBe("Interaction_default");

    const now = new Date("2031-03-15T12:00:00Z");
    const first = await runRetention({ db, logger: silent }, now);
    expect(first.partitionsCreated).toEqual([
      "Interaction_y2030m12",
      "Interaction_y2031m03",
      "Interaction_y2031m04",
      "Interaction_y2031m05",
    ]);
    expect(first.partitionsDropped).toEqual(["Interaction_y2029m06"]);
    const names = (await listInteractionPartitions(db)).map((p) => p.name);
    // Everything ending before the longest retention's cutoff (2030-02-08) is gone, empty months included.
    expect(names).toEqual([
      "Interaction_y2030m12",
      "Interaction_y2031m03",
      "Interaction_y2031m04",
      "Interaction_y2031m05",
    ]);
    const where = await placement(db);
    expect([...where.keys()].sort()).toEqual(["brief-recent", "long-2030", "long-recent"]);
    expect(where.get("long-2030")).toBe("Interaction_y2030m12");
    expect(where.get("brief-recent")).toBe("Interaction_y2031m03");
    expect(await db.$queryRaw`SELECT count(*)::int AS n FROM "Interaction_default"`).toEqual([{ n: 0 }]);

    // Each store's count: its rows in the dropped month plus its rows deleted one by one; audited.
    const audit = await db.auditLog.findMany({
      where: { action: "retention.delete", storeId: { in: [brief.store.id, long.store.id] } },
    });
    const after = (s: WebStore) => audit.find((a) => a.storeId === s.store.id)?.after;
    expect(after(brief)).toMatchObject({ interactions: 2, partitionsDropped: ["Interaction_y2029m06"] });
    expect(after(long)).toMatchObject({ interactions: 1, partitionsDropped: ["Interaction_y2029m06"] });

    // A second run has nothing to do.
    expect(await runRetention({ db, logger: silent }, now)).toMatchObject({
      partitionsCreated: [],
      partitionsDropped: [],
      deleted: 0,
    });
  });

  it("creates a month while a row of that month is being inserted into the default partition", async () => {
    db ??= createDb({ url, poolMax: 2 });
    const s = await createWebStore(db);
    const writer = new pg.Client({ connectionString: url });
    await writer.connect();
    try {
      // An open transaction has put a row of May 2032 (no partition yet) into the default partition.
      await writer.query("BEGIN");
      await writer.query(
        `INSERT INTO "Interaction" (id, "storeId", "cameraId", "zoneId", "startedAt", "endedAt", "dwellMs",
          "sampleCount", "pAngry", "pDisgust", "pFear", "pHappy", "pSad", "pSurprise", "pNeutral", dominant, valence,
          hesitation, negative)
        VALUES ('in-flight', $1, $2, $3, '2032-05-03 10:00', '2032-05-03 10:00:04', 4000, 3, 0, 0, 0, 1, 0, 0, 0,
          'happy', 80, false, false)`,
        [s.store.id, s.cameraId, s.zones.snacks],
      );
      const ensuring = ensureInteractionPartitions(db, { now: new Date("2032-05-01T00:00:00Z"), ahead: 0 });
      await new Promise((r) => setTimeout(r, 500));
      await writer.query("COMMIT");
      // The month waited for the insert and took its row along (it used to fail to attach).
      expect((await ensuring).created).toEqual(["Interaction_y2032m05"]);
      expect((await placement(db)).get("in-flight")).toBe("Interaction_y2032m05");
    } finally {
      await writer.end();
    }
  });

  it("leaves a month for the next run while a long query holds the table", async () => {
    db ??= createDb({ url, poolMax: 2 });
    await ensureInteractionPartitions(db, { now: new Date("2020-01-10T00:00:00Z"), ahead: 0 });
    const reader = new pg.Client({ connectionString: url });
    await reader.connect();
    try {
      await reader.query("BEGIN");
      await reader.query(`SELECT count(*) FROM "Interaction"`); // holds ACCESS SHARE until COMMIT
      const held = await runRetention({ db, logger: silent }, new Date("2031-03-15T12:00:00Z"));
      expect(held.partitionsDropped).toEqual([]);
      expect((await listInteractionPartitions(db)).map((p) => p.name)).toContain("Interaction_y2020m01");
      await reader.query("COMMIT");
      await runRetention({ db, logger: silent }, new Date("2031-03-15T12:00:00Z"));
      expect((await listInteractionPartitions(db)).map((p) => p.name)).not.toContain("Interaction_y2020m01");
    } finally {
      await reader.end();
    }
  });
});
