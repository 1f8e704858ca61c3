import { describe, expect, it } from "vitest";
import { parseSalesCsv } from "./parse-sales-csv.ts";

describe("parseSalesCsv", () => {
  it("reads days and times in the store's zone, any column order and case, quoted fields and a BOM", () => {
    const csv = '\uFEFFUnits,SKU,Period Start,Revenue,period_end\r\n3,SNK-1,2026-11-20,"1,000.00",\r\n';
    expect(parseSalesCsv(csv, "UTC").errors).toEqual([
      { line: 2, message: 'revenue "1,000.00" is not a decimal with at most 2 decimals' },
    ]);
    const ok = parseSalesCsv(
      "sku,period_start,units,revenue,period_end\nSNK-1,2026-11-20T09:00,3,7.50,2026-11-20T12:00\nSNK-1,2026-11-21,4,10,\n",
      "Europe/Berlin",
    );
    expect(ok.errors).toEqual([]);
    expect(
      ok.rows.map((r) => [
        r.periodStart.toISOString(),
        r.periodEnd.toISOString(),
        r.units,
        r.revenueMinor,
        r.currency,
      ]),
    ).toEqual([
      ["2026-11-20T08:00:00.000Z", "2026-11-20T11:00:00.000Z", 3, 750, "EUR"],
      ["2026-11-20T23:00:00.000Z", "2026-11-21T23:00:00.000Z", 4, 1000, "EUR"],
    ]);
  });

  it("accepts ISO times with offsets and refuses what it cannot read", () => {
    const { rows, errors } = parseSalesCsv(
      [
        "sku,period_start,units,revenue,currency",
        "A,2026-11-20T10:00:00+01:00,1,1.00,usd",
        "A,2026-13-01,1,1.00,",
        "A,2026-11-21,1.5,1.00,",
        "A,2026-11-22,1,1.00,EURO",
        ",2026-11-23,1,1.00,",
        "A,=cmd(),1,1.00,",
      ].join("\n"),
      "UTC",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ currency: "USD", periodStart: new Date("2026-11-20T09:00:00Z") });
    expect(errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7]);
  });

  it("names missing columns and empty files", () => {
    expect(parseSalesCsv("sku,units\nA,1", "UTC").errors[0]!.message).toMatch(
      /missing columns: period_start, revenue/,
    );
    expect(parseSalesCsv("sku,period_start,units,revenue\n", "UTC").errors).toEqual([
      { line: 1, message: "no data rows" },
    ]);
  });
});
