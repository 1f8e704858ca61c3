import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { hasNoControlCharacters } from "../display-name.ts";
import { wilsonInterval } from "@shelf/core";
import { Cell, cellStats } from "./cell.ts";
import { cellColumns, escapeCsvCell, toCsv } from "./csv.ts";

describe("CSV cells a spreadsheet would run", () => {
  it("quotes formulas wherever they hide: multi-line, behind blanks or control characters, tab or CR first", () => {
    for (const bad of [
      "=1+1",
      "=1+1\nx",
      "+1",
      "-1+2",
      "@SUM(A1)",
      " =1",
      "\n=1",
      "\u0007=1",
      "\u00a0=1",
      "\u200b=1",
      "\tplain",
      "\rplain",
      "\uff1d1",
    ])
      expect(escapeCsvCell(bad), JSON.stringify(bad)).toBe(`'${bad}`);
    for (const fine of ["Sea-salt crisps", "Cola 1+1", "a=b", "2026-11-30T00:00:00.000Z", "", '{"a":1}'])
      expect(escapeCsvCell(fine)).toBe(fine);
  });

  it("escapes every text cell and leaves numbers alone", () => {
    const text = toCsv([{ name: "=1+1\nx", n: -3, ok: true, none: null }]);
    const [header, row] = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
    expect(header).toEqual(["name", "n", "ok", "none"]);
    expect(row).toEqual(["'=1+1\nx", "-3", "true", ""]);
  });

  it("refuses control characters in names", () => {
    expect(hasNoControlCharacters("Crisps & dips — 200 g")).toBe(true);
    for (const bad of ["a\nb", "a\tb", "a\u0000", "\u202egpj.exe", "a\u2028b", "a\u0085b"])
      expect(hasNoControlCharacters(bad), JSON.stringify(bad)).toBe(false);
  });
});

describe("a report cell's CSV columns", () => {
  const rules = { negative: new Set(["disgust", "angry"] as const), includeHesitation: false, k: 5 };

  it("name the negative-expression rate over interactions (negative_*), never a rejection", () => {
    const cell = new Cell()
      .add({ expression: "angry", count: 3, hesitationCount: 0, dwellMsSum: 3000, valenceSum: -200 })
      .add({ expression: "happy", count: 9, hesitationCount: 0, dwellMsSum: 9000, valenceSum: 600 });
    const row = cellColumns(cellStats(cell, rules));
    const { lower, upper } = wilsonInterval(3, 12);
    expect(row).toMatchObject({
      interactions: 12,
      negative_interactions: 3,
      negative_rate: 0.25,
      negative_rate_lower_95: Number(lower.toFixed(4)),
      negative_rate_upper_95: Number(upper.toFixed(4)),
    });
    expect(Object.keys(row).filter((k) => /reject/i.test(k))).toEqual([]);
  });

  it("leave the rate empty below k", () => {
    const row = cellColumns(
      cellStats(
        new Cell().add({ expression: "angry", count: 2, hesitationCount: 0, dwellMsSum: 0, valenceSum: 0 }),
        rules,
      ),
    );
    expect(row).toMatchObject({ interactions: 2, hidden_below_k: true, negative_rate: null });
  });
});
