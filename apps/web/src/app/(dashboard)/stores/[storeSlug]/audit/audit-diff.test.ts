import { describe, expect, it } from "vitest";
import { auditDiff, fieldLabel, showValue } from "./audit-diff";

const names = { i1: "Cola 0.33 l", i2: "Crisps", z1: "Snacks" };

describe("auditDiff", () => {
  it("shows only what an update changed, by name, never 'undefined'", () => {
    const before = {
      storeId: "s1",
      level: "item",
      category: null,
      itemId: "i1",
      threshold: 0.2,
      hysteresis: 0.05,
    };
    const after = { ...before, threshold: 0.3 };
    expect(auditDiff(before, after, names)).toEqual([{ field: "threshold", before: "20 %", after: "30 %" }]);
    expect(auditDiff({ itemId: "i1" }, { itemId: "i2" }, names)).toEqual([
      { field: "product", before: "Cola 0.33 l", after: "Crisps" },
    ]);
  });

  it("treats a missing field and null as the same absent value, shown as —", () => {
    expect(auditDiff({ a: 1 }, { a: 1, itemId: null }, names)).toEqual([]);
    expect(auditDiff({ minSample: 10 }, { minSample: null }, names)).toEqual([
      { field: "minimum sample", before: "10", after: "—" },
    ]);
  });

  it("lists what a creation set, skipping empty fields, and what a deletion removed", () => {
    const rule = { storeId: null, level: "global", category: null, itemId: null, threshold: 0.2 };
    expect(auditDiff(undefined, rule, names)).toEqual([
      { field: "applies to", before: null, after: "every store" },
      { field: "level", before: null, after: "global" },
      { field: "threshold", before: null, after: "20 %" },
    ]);
    const lines = auditDiff({ name: "Snacks", polygon: [{}, {}, {}, {}], interactions: 12 }, null, names);
    expect(lines).toEqual([
      { field: "name", before: "Snacks", after: null },
      { field: "outline", before: "4 corners", after: null },
      { field: "interactions", before: "12", after: null },
    ]);
    for (const l of lines) expect(JSON.stringify(l)).not.toMatch(/undefined/);
  });

  it("summarises a planogram by product names and stretches", () => {
    const slots = [
      { itemId: "i1", start: 0, end: 0.5, level: 0 },
      { itemId: "gone", start: 0.5, end: 1, level: 0 },
    ];
    expect(auditDiff({ slots: [] }, { slots }, names)).toEqual([
      { field: "slots", before: "none", after: "Cola 0.33 l 0–50 %, gone 50–100 %" },
    ]);
  });
});

describe("showValue / fieldLabel", () => {
  it("reads values as people do", () => {
    expect(showValue("staffOnly", true, {})).toBe("yes");
    expect(showValue("negativeExpressions", ["angry", "disgust"], {})).toBe("angry, disgust");
    expect(showValue("zoneId", "z1", names)).toBe("Snacks");
    expect(showValue("zoneId", "z9", names)).toBe("z9");
    expect(fieldLabel("scoreWindowHours")).toBe("score window hours");
  });
});
