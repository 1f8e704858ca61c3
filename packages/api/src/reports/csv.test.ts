import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { hasNoControlCharacters } from "../display-name.ts";
import { escapeCsvCell, toCsv } from "./csv.ts";

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
