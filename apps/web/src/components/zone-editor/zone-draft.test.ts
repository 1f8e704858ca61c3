import { describe, expect, it } from "vitest";
import type { FloorMPoint } from "@shelf/core";
import {
  draftProblems,
  emptyDraft,
  floorLevelEnd,
  nextSlot,
  shelfLineEdge,
  shelfLineFromEdge,
  slotColor,
  zoneListLabel,
  type ZoneDraft,
} from "./zone-draft.ts";

const rect: FloorMPoint[] = [
  { x: 1, y: 1 },
  { x: 5, y: 1 },
  { x: 5, y: 2 },
  { x: 1, y: 2 },
];
const draft = (patch: Partial<ZoneDraft> = {}): ZoneDraft => ({
  ...emptyDraft(),
  name: "Snacks",
  polygon: rect,
  ...patch,
});

describe("draftProblems", () => {
  it("accepts a named rectangle", () => {
    expect(draftProblems(draft())).toEqual([]);
  });

  it("asks for a name first", () => {
    expect(draftProblems(draft({ name: "  " }))[0]).toBe("Give the zone a name.");
  });

  it("reports core's zone rules in plain words, saying where", () => {
    expect(draftProblems(draft({ polygon: rect.slice(0, 2) }))).toEqual([
      "Outline: draw at least 3 corners.",
    ]);
    const bowtie = [
      { x: 1, y: 1 },
      { x: 5, y: 2 },
      { x: 5, y: 1 },
      { x: 1, y: 1.5 },
    ];
    expect(draftProblems(draft({ polygon: bowtie }))).toEqual([
      "Outline: Polygon edges must not cross each other.",
    ]);
    const slots = [
      { itemId: "i1", start: 0, end: 0.6, level: 0 },
      { itemId: "i2", start: 0.5, end: 1, level: 0 },
    ];
    expect(draftProblems(draft({ slots }))).toEqual(["Slot 2: Slot overlaps slot 0 on level 0."]);
  });

  it("finds corners off the floor plan and overlaps with other shelf zones", () => {
    const plan = { widthM: 12, heightM: 8 };
    const far = [...rect.slice(0, 2), { x: 50, y: 2 }, rect[3]!];
    expect(draftProblems(draft({ polygon: far }), { plan })).toEqual([
      "Corner 3 (50 m, 2 m) is outside the floor plan (12 m × 8 m).",
    ]);
    const snacks = { id: "z1", name: "Snacks", polygon: rect, staffOnly: false };
    const over = rect.map((p) => ({ x: p.x + 2, y: p.y }));
    const beside = rect.map((p) => ({ x: p.x + 4, y: p.y }));
    expect(draftProblems(draft({ name: "New", polygon: over }), { plan, others: [snacks] })).toEqual([
      "Overlaps the zone “Snacks”: shelf zones must not share floor area.",
    ]);
    expect(draftProblems(draft({ name: "New", polygon: beside }), { plan, others: [snacks] })).toEqual([]);
    // The zone itself, and staff-only areas, are no obstacle.
    expect(draftProblems(draft({ id: "z1", polygon: over }), { others: [snacks] })).toEqual([]);
    expect(draftProblems(draft({ polygon: over, staffOnly: true }), { others: [snacks] })).toEqual([]);
  });

  it("refuses products in a staff-only zone", () => {
    const slots = [{ itemId: "i1", start: 0, end: 0.5, level: 0 }];
    expect(draftProblems(draft({ staffOnly: true, slots }))).toContain(
      "A staff-only zone is never analysed: remove its products.",
    );
    expect(draftProblems(draft({ slots }))).toEqual([]);
  });
});

describe("shelf line", () => {
  it("names the edge a custom line runs along, and builds it back", () => {
    expect(shelfLineEdge(draft())).toBe("auto");
    const line = shelfLineFromEdge(rect, "3")!;
    expect(line).toEqual([rect[3], rect[0]]); // the last edge wraps to the first corner
    expect(shelfLineEdge(draft({ shelfLine: line }))).toBe("3");
    expect(shelfLineFromEdge(rect, "auto")).toBeNull();
  });
});

describe("slots", () => {
  it("places the next product after the floor-level ones, a quarter of the shelf long", () => {
    const slots = [
      { itemId: "a", start: 0, end: 0.4, level: 0 },
      { itemId: "b", start: 0, end: 0.9, level: 1 }, // upper shelves do not count
    ];
    expect(floorLevelEnd(slots)).toBe(0.4);
    expect(nextSlot(slots, "c")).toEqual({ itemId: "c", start: 0.4, end: 0.65, level: 0 });
    expect(nextSlot([{ itemId: "a", start: 0, end: 0.9, level: 0 }], "c")).toEqual({
      itemId: "c",
      start: 0.9,
      end: 1,
      level: 0,
    });
    expect(nextSlot([{ itemId: "a", start: 0, end: 1, level: 0 }], "c")).toBeNull();
  });

  it("cycles slot colours", () => {
    expect(slotColor(0)).toBe(slotColor(8));
    expect(slotColor(0)).not.toBe(slotColor(1));
  });
});

describe("zoneListLabel", () => {
  it("says staff only unless the name does", () => {
    expect(zoneListLabel({ name: "Stock room", staffOnly: true })).toBe("Stock room (staff only)");
    expect(zoneListLabel({ name: "Staff room", staffOnly: true })).toBe("Staff room");
    expect(zoneListLabel({ name: "Snacks", staffOnly: false })).toBe("Snacks");
  });
});
