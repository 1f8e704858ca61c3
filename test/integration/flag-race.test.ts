import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { createDb, createOpenFlag, OPEN_FLAG_INDEX, type Db } from "@shelf/db";
import {
  prismaScoringStore,
  processRescore,
  processScore,
  type ScoringDeps,
} from "../../apps/worker/src/processors/scoring.ts";
import { testDatabaseUrl } from "../setup/env.ts";
import {
  addRollups,
  createWebStore,
  dropWebStore,
  setScore,
  type WebStore,
} from "../support/web-fixtures.ts";

/**
 * One open flag per item and store, however many writers raise it at once: a worker re-deciding a store's
 * flags after a threshold change (a rescore job) and another worker scoring the item both read "no open
 * flag", then both insert. The
 * partial unique index lets one insert through; the other writer sees "already flagged", keeps the rest of
 * its transaction and reports no raise of its own.
 */
describe("raising a flag from two writers at once (real PostgreSQL)", () => {
  const db: Db = createDb({ url: testDatabaseUrl(), poolMax: 6 });
  let s: WebStore;
  let itemId: string;

  const reason = () => ({
    storeId: s.store.id,
    itemId,
    rate: 0.45,
    lower: 0.36,
    upper: 0.55,
    n: 100,
    negatives: 45,
    threshold: 0.2,
    thresholdLevel: "item",
    windowHours: 168,
  });
  const openFlags = () => db.flag.findMany({ where: { storeId: s.store.id, itemId, clearedAt: null } });

  beforeAll(async () => {
    s = await createWebStore(db, { k: 5, minSample: 10 });
    itemId = s.items.peanuts.id;
    // Rejected well above the item's own threshold: in the worker's rollups and in its last score alike.
    await db.threshold.create({ data: { storeId: s.store.id, level: "item", itemId, threshold: 0.2 } });
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.snacks,
      itemId,
      hour: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000),
      counts: { disgust: 30, angry: 15, neutral: 40, happy: 15 },
    });
  });

  beforeEach(async () => {
    await db.flag.deleteMany({ where: { storeId: s.store.id } });
    await db.auditLog.deleteMany({ where: { storeId: s.store.id } });
  });

  afterAll(async () => {
    if (s) await dropWebStore(db, s);
    await db.$disconnect();
  });

  it("has the partial unique index in place", async () => {
    const rows = await db.$queryRaw<{ indexdef: string }[]>`
      SELECT indexdef FROM pg_indexes WHERE tablename = 'Flag' AND indexname = ${OPEN_FLAG_INDEX}`;
    expect(rows.map((r) => r.indexdef)).toEqual([
      `CREATE UNIQUE INDEX "${OPEN_FLAG_INDEX}" ON public."Flag" USING btree ("storeId", "itemId") WHERE ("clearedAt" IS NULL)`,
    ]);
  });

  it("two transactions that both saw no open flag create exactly one; the other's other writes survive", async () => {
    // Both read "not flagged" before either inserts: the race, made certain.
    let arrived = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((r) => (release = r));
    const writer = (name: string) =>
      db.$transaction(async (tx) => {
        expect(await tx.flag.count({ where: { storeId: s.store.id, itemId, clearedAt: null } })).toBe(0);
        if (++arrived === 2) release();
        await bothRead;
        const result = await createOpenFlag(tx, reason());
        // Written after the violation: must be kept, not rolled back with the failed insert.
        await tx.auditLog.create({
          data: { storeId: s.store.id, action: "test", entity: "Flag", entityId: name },
        });
        return result;
      });
    const results = await Promise.all([writer("a"), writer("b")]);

    const open = await openFlags();
    expect(open).toHaveLength(1);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    expect(results.map((r) => r.flag.id)).toEqual([open[0]!.id, open[0]!.id]);
    expect(
      (await db.auditLog.findMany({ where: { storeId: s.store.id }, select: { entityId: true } }))
        .map((a) => a.entityId)
        .sort(),
    ).toEqual(["a", "b"]);
  });

  it("keeps cleared flags out of the constraint: an item can be flagged again", async () => {
    const first = await db.$transaction((tx) => createOpenFlag(tx, reason()));
    await db.flag.update({ where: { id: first.flag.id }, data: { clearedAt: new Date() } });
    const second = await db.$transaction((tx) => createOpenFlag(tx, reason()));
    expect(second.created).toBe(true);
    expect(await db.flag.count({ where: { storeId: s.store.id, itemId } })).toBe(2);
    expect((await openFlags()).map((f) => f.id)).toEqual([second.flag.id]);
  });

  it("an item's scoring and a store re-decision racing (two workers): one open flag, one raise reported", async () => {
    const scoring: ScoringDeps = {
      store: prismaScoringStore(db),
      live: { publish: async () => undefined },
      logger: pino({ level: "silent" }),
    };
    for (let round = 0; round < 8; round++) {
      await db.flag.updateMany({
        where: { storeId: s.store.id, clearedAt: null },
        data: { clearedAt: new Date() },
      });
      await setScore(db, { storeId: s.store.id, itemId, n: 100, negatives: 45, lower: 0.36, upper: 0.55 });
      const [scored, { changes }] = await Promise.all([
        processScore(scoring, { storeId: s.store.id, itemId }),
        processRescore(scoring, { storeId: s.store.id, mode: "redecide", requestId: `race-${round}` }),
      ]);
      const open = await openFlags();
      expect(open, `round ${round}`).toHaveLength(1);
      const raisedByRedecide = changes.filter((c) => c.itemId === itemId && c.state === "raised");
      expect(raisedByRedecide.length + (scored.change === "raised" ? 1 : 0), `round ${round}`).toBe(1);
      expect(scored).toMatchObject({ flagged: true, flagId: open[0]!.id });
      // The worker's score was written either way.
      expect(await db.rejectionScore.count({ where: { storeId: s.store.id, itemId } })).toBe(1);
    }
  });
});
