import { expect } from "vitest";
import { EXPRESSIONS, seededRandom } from "@shelf/core";
import type { Db } from "@shelf/db";
import { type InteractionRecord, writeInteraction } from "../../apps/worker/src/interaction-writer.ts";
import { snapToStoreDays } from "../../packages/api/src/reports/day-range.ts";
import type { DateRange } from "../../packages/api/src/reports/range.ts";
import * as now from "../../packages/api/src/reports/rollups.ts";
import * as before from "./hourly-rollups-reference.ts";
import type { WebStore } from "./web-fixtures.ts";

/**
 * What the rollup tests share: visits written by the worker's writer, and every report read of today compared
 * with the HourlyRollup-only reference (hourly-rollups-reference.ts) on the same data.
 */

export const FIRST = Date.parse("2026-02-20T00:00:00Z");
export const LAST = Date.parse("2026-04-10T00:00:00Z");
/** The retention job's "now": hours before 6 March are merged into days, as production leaves them. */
export const RETENTION_NOW = new Date("2026-04-10T12:00:00Z");

/**
 * `n` interactions between FIRST and LAST (US and EU daylight-saving starts inside), written by the worker's
 * writer, so every rollup holds what production would.
 */
export async function writeVisits(db: Db, s: WebStore, n: number, seed: number): Promise<void> {
  const random = seededRandom(seed);
  const places = [
    { zoneId: s.zones.snacks, itemId: s.items.crisps.id },
    { zoneId: s.zones.snacks, itemId: s.items.peanuts.id },
    { zoneId: s.zones.drinks, itemId: s.items.cola.id },
    { zoneId: s.zones.drinks, itemId: null },
  ];
  for (let i = 0; i < n; i++) {
    const startedAt = FIRST + Math.floor(random() * (LAST - FIRST));
    const dwellMs = 500 + Math.floor(random() * 15_000);
    const record: InteractionRecord = {
      id: `daily-${s.tag}-${seed}-${i}`,
      context: {
        storeId: s.store.id,
        cameraId: s.cameraId,
        ...places[Math.floor(random() * places.length)]!,
        trackKey: `run:${i}:1`,
        calibrationVersion: 1,
      },
      startedAt,
      endedAt: startedAt + dwellMs,
      dwellMs,
      sampleCount: 3,
      meanProbs: [0.1, 0.1, 0.1, 0.3, 0.1, 0.1, 0.2],
      dominant: EXPRESSIONS[Math.floor(random() * EXPRESSIONS.length)]!,
      valence: random() * 200 - 100,
      hesitation: random() < 0.2,
      negative: false,
    };
    expect(await writeInteraction(db, record)).toBe(true);
  }
}

/** The rows of two reads, matched by their keys: counts, hesitations and dwell equal, valence sums too (to rounding). */
export function expectSameSums<T extends { valenceSum: number }>(
  got: T[],
  want: T[],
  key: (r: T) => string,
): void {
  const index = (rows: T[]) => new Map(rows.map((r) => [key(r), r]));
  const [g, w] = [index(got), index(want)];
  expect(g.size).toBe(got.length);
  expect([...g.keys()].sort()).toEqual([...w.keys()].sort());
  for (const [k, row] of w) {
    const other = g.get(k)!;
    // Float sums in another order differ in the last bits only (the old query's parallel plans did too).
    expect(Math.abs(other.valenceSum - row.valenceSum)).toBeLessThanOrEqual(
      1e-9 * Math.max(1, Math.abs(row.valenceSum)),
    );
    expect({ ...other, valenceSum: 0 }).toEqual({ ...row, valenceSum: 0 });
  }
}

/** Every read the reports make, today's and the hourly-only reference, on the same data and ranges. */
export async function expectSameReads(db: Db, s: WebStore): Promise<number> {
  const tz = (await db.store.findUniqueOrThrow({ where: { id: s.store.id } })).timezone;
  const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
  const ranges: DateRange[] = [
    ["2026-02-18", "2026-04-12"],
    ["2026-03-01", "2026-03-31"],
    ["2026-03-05", "2026-03-09"], // US DST start, the merge horizon
    ["2026-03-27", "2026-03-30"], // EU DST start
    ["2026-03-29", "2026-03-29"],
  ].map(([from, to]) => snapToStoreDays({ from: day(from!), to: day(to!) }, tz));
  // Not whole days: read from the hours, as before.
  ranges.push({ from: new Date("2026-03-03T10:00:00Z"), to: new Date("2026-03-20T15:00:00Z") });
  const filters = [{}, { itemId: s.items.crisps.id }, { zoneId: s.zones.drinks }];
  let rows = 0;
  for (const range of ranges)
    for (const filter of filters) {
      const f = { storeId: s.store.id, ...range, ...filter };
      const byItem = await now.sumsByItem(db, f, tz);
      expectSameSums(byItem, await before.sumsByItem(db, f), (r) => `${r.itemId}|${r.expression}`);
      expectSameSums(
        await now.sumsByZoneItem(db, f, tz),
        await before.sumsByZoneItem(db, f),
        (r) => `${r.zoneId}|${r.itemId}|${r.expression}`,
      );
      for (const unit of ["day", "hour"] as const)
        expectSameSums(
          await now.sumsByBucket(db, f, unit, tz),
          await before.sumsByBucket(db, f, unit, tz),
          (r) => `${r.label}|${r.start.toISOString()}|${r.expression}`,
        );
      expectSameSums(
        await now.sumsByHourOfDay(db, f, tz),
        await before.sumsByHourOfDay(db, f, tz),
        (r) => `${r.hourOfDay}|${r.expression}`,
      );
      expectSameSums(
        await now.sumsByItemDay(db, f, tz),
        await before.sumsByItemDay(db, f, tz),
        (r) => `${r.itemId}|${r.label}|${r.expression}`,
      );
      rows += byItem.length;
    }
  return rows;
}
