import { describe, expect, it } from "vitest";
import type { FloorMPoint } from "./coords.ts";
import { seededRandom } from "./prng.ts";
import {
  distanceToPolygon,
  isStaffOnly,
  locateItem,
  locateZone,
  pointInPolygon,
  polygonArea,
  polygonsOverlap,
  shelfAxis,
  shelfPosition,
  ZPlanogramSlot,
  ZShelfLine,
  ZShelfZone,
  ZZonePolygon,
  type ShelfZone,
} from "./zones.ts";

const pt = (x: number, y: number): FloorMPoint => ({ x, y });
const rect = (x: number, y: number, w: number, h: number) => [
  pt(x, y),
  pt(x + w, y),
  pt(x + w, y + h),
  pt(x, y + h),
];

function zone(id: string, polygon: FloorMPoint[], extra: Partial<ShelfZone> = {}): ShelfZone {
  return { id, polygon, staffOnly: false, slots: [], ...extra };
}

/** An L-shaped (concave) outline: the square 0…4 minus its top-right quadrant 2…4 × 0…2. */
const L_SHAPE = [pt(0, 0), pt(2, 0), pt(2, 2), pt(4, 2), pt(4, 4), pt(0, 4)];

describe("pointInPolygon", () => {
  it("handles convex and concave outlines", () => {
    expect(pointInPolygon(pt(1, 1), rect(0, 0, 2, 2))).toBe(true);
    expect(pointInPolygon(pt(3, 1), rect(0, 0, 2, 2))).toBe(false);
    expect(pointInPolygon(pt(1, 1), L_SHAPE)).toBe(true);
    expect(pointInPolygon(pt(3, 3), L_SHAPE)).toBe(true);
    // The notch of the L is outside although it is inside the bounding box.
    expect(pointInPolygon(pt(3, 1), L_SHAPE)).toBe(false);
  });

  it("is independent of winding", () => {
    const reversed = [...L_SHAPE].reverse();
    for (const p of [pt(1, 1), pt(3, 3), pt(3, 1), pt(5, 5)])
      expect(pointInPolygon(p, reversed)).toBe(pointInPolygon(p, L_SHAPE));
  });

  it("counts points on the outline and at vertices as inside", () => {
    expect(pointInPolygon(pt(1, 0), rect(0, 0, 2, 2))).toBe(true);
    expect(pointInPolygon(pt(2, 2), rect(0, 0, 2, 2))).toBe(true);
    // The notch's own edges belong to the L; a hair into the notch does not.
    expect(pointInPolygon(pt(2, 1), L_SHAPE)).toBe(true);
    expect(pointInPolygon(pt(3, 2), L_SHAPE)).toBe(true);
    expect(pointInPolygon(pt(2.001, 1), L_SHAPE)).toBe(false);
    expect(pointInPolygon(pt(3, 1.999), L_SHAPE)).toBe(false);
  });

  it("casts rays through vertices correctly (each vertex counted once)", () => {
    // A diamond: rays from points level with its left and right vertices pass exactly through them.
    const diamond = [pt(0, -1), pt(1, 0), pt(0, 1), pt(-1, 0)];
    expect(pointInPolygon(pt(0, 0), diamond)).toBe(true);
    expect(pointInPolygon(pt(-2, 0), diamond)).toBe(false);
    expect(pointInPolygon(pt(0.5, 0), diamond)).toBe(true);
    // Level with the L's inner corner y = 2, left of the notch.
    expect(pointInPolygon(pt(1, 2), L_SHAPE)).toBe(true);
  });

  it("agrees with a brute-force area estimate on a random star polygon", () => {
    const next = seededRandom(4);
    const star = Array.from({ length: 24 }, (_, i) => {
      const r = i % 2 === 0 ? 2 : 0.5 + next();
      const a = (2 * Math.PI * i) / 24;
      return pt(r * Math.cos(a), r * Math.sin(a));
    });
    let hits = 0;
    const samples = 200_000;
    for (let i = 0; i < samples; i++) if (pointInPolygon(pt(next() * 4 - 2, next() * 4 - 2), star)) hits++;
    // Standard error of the estimate is about 0.017 m².
    expect(Math.abs((hits / samples) * 16 - polygonArea(star))).toBeLessThan(0.08);
  });
});

describe("distanceToPolygon / polygonArea", () => {
  it("measures the distance to the nearest edge, including from inside", () => {
    expect(distanceToPolygon(pt(3, 1), rect(0, 0, 2, 2))).toBeCloseTo(1, 12);
    expect(distanceToPolygon(pt(3, 3), rect(0, 0, 2, 2))).toBeCloseTo(Math.SQRT2, 12);
    expect(distanceToPolygon(pt(1, 0.5), rect(0, 0, 2, 2))).toBeCloseTo(0.5, 12);
    expect(distanceToPolygon(pt(3, 1), L_SHAPE)).toBeCloseTo(1, 12);
  });

  it("computes areas in either winding", () => {
    expect(polygonArea(rect(0, 0, 2, 3))).toBe(6);
    expect(polygonArea([...rect(0, 0, 2, 3)].reverse())).toBe(6);
    expect(polygonArea(L_SHAPE)).toBe(12);
  });
});

describe("locateZone", () => {
  const a = zone("a", rect(0, 0, 2, 1));
  const b = zone("b", rect(3, 0, 2, 1));
  const concave = zone(
    "l",
    L_SHAPE.map((p) => pt(p.x + 10, p.y)),
  );

  it("returns the containing zone with distance 0", () => {
    expect(locateZone(pt(1, 0.5), [a, b])).toEqual({ zone: a, distanceM: 0, inside: true });
    expect(locateZone(pt(4, 0.5), [a, b])).toEqual({ zone: b, distanceM: 0, inside: true });
  });

  it("falls back to the nearest zone within maxDistanceM, else null", () => {
    const near = locateZone(pt(2.3, 0.5), [a, b]);
    expect(near?.zone.id).toBe("a");
    expect(near?.inside).toBe(false);
    expect(near?.distanceM).toBeCloseTo(0.3, 12);
    expect(locateZone(pt(2.6, 0.5), [a, b])?.zone.id).toBe("b");
    expect(locateZone(pt(1, 1.6), [a, b])).toBeNull();
    expect(locateZone(pt(1, 1.6), [a, b], { maxDistanceM: 0.7 })?.zone.id).toBe("a");
    expect(locateZone(pt(2.3, 0.5), [a, b], { maxDistanceM: 0 })).toBeNull();
  });

  it("does not count the notch of a concave zone as inside", () => {
    const inNotch = locateZone(pt(13, 0.2), [concave], { maxDistanceM: 2 });
    expect(inNotch?.inside).toBe(false);
    expect(inNotch?.distanceM).toBeCloseTo(1, 12);
    expect(locateZone(pt(13, 3), [concave])?.inside).toBe(true);
  });

  it("prefers the smallest of overlapping zones, and staff-only over any", () => {
    const big = zone("big", rect(0, 0, 10, 10));
    const small = zone("small", rect(1, 1, 2, 2));
    expect(locateZone(pt(2, 2), [big, small])?.zone.id).toBe("small");
    expect(locateZone(pt(2, 2), [small, big])?.zone.id).toBe("small");
    expect(locateZone(pt(5, 5), [big, small])?.zone.id).toBe("big");
    const staff = zone("staff", rect(0, 0, 10, 10), { staffOnly: true });
    expect(locateZone(pt(2, 2), [small, staff])?.zone.id).toBe("staff");
  });

  it("returns a nearby staff-only zone so the caller can skip it", () => {
    const staff = zone("staff", rect(0, 0, 2, 1), { staffOnly: true });
    const match = locateZone(pt(2.2, 0.5), [staff, b]);
    expect(match?.zone.id).toBe("staff");
    expect(isStaffOnly(match!.zone)).toBe(true);
    expect(isStaffOnly(b)).toBe(false);
  });

  it("keeps the caller's zone type and handles no zones / non-finite points", () => {
    const tagged = { ...a, cameraId: "cam-1" };
    expect(locateZone(pt(1, 0.5), [tagged])?.zone.cameraId).toBe("cam-1");
    expect(locateZone(pt(1, 0.5), [])).toBeNull();
    expect(locateZone(pt(Number.NaN, 0.5), [a])).toBeNull();
    expect(() => locateZone(pt(1, 1), [a], { maxDistanceM: -1 })).toThrow(RangeError);
  });
});

describe("shelfAxis / shelfPosition", () => {
  it("uses the longest edge, directed along the polygon order, when no shelf line is set", () => {
    // Edges: 0→1 is 1 m, 1→2 is 3 m (longest), 2→3 is 1 m, 3→0 is 3 m (ties go to the first).
    const poly = [pt(0, 0), pt(0, 1), pt(3, 1), pt(3, 0)];
    expect(shelfAxis({ polygon: poly })).toEqual([pt(0, 1), pt(3, 1)]);
    expect(shelfPosition(pt(1.5, 0.2), { polygon: poly })).toBeCloseTo(0.5, 12);
    expect(shelfPosition(pt(-3, 0), { polygon: poly })).toBeCloseTo(-1, 12);
  });

  it("uses an explicit shelf line when set", () => {
    const z = { polygon: rect(0, 0, 3, 1), shelfLine: [pt(3, 0), pt(0, 0)] as const };
    expect(shelfAxis(z)).toEqual([pt(3, 0), pt(0, 0)]);
    expect(shelfPosition(pt(2.4, 0.5), z)).toBeCloseTo(0.2, 12);
  });
});

describe("locateItem", () => {
  const shelf = zone("s", rect(0, 0, 4, 1), {
    shelfLine: [pt(0, 0), pt(4, 0)],
    slots: [
      { itemId: "cola", start: 0, end: 0.25 },
      { itemId: "water", start: 0.25, end: 0.5 },
      { itemId: "juice", start: 0.7, end: 0.9 },
    ],
  });

  it("returns the item whose stretch contains the projected point", () => {
    expect(locateItem(pt(0.5, 0.5), shelf)).toBe("cola");
    expect(locateItem(pt(1.5, 0.9), shelf)).toBe("water");
    expect(locateItem(pt(3.2, 0.1), shelf)).toBe("juice");
  });

  it("maps a point in a gap or beyond the ends to the nearest slot within maxSlotDistanceM", () => {
    // Gap 0.5…0.7 is 2.0…2.8 m: 2.3 m is 0.3 m from water, 0.5 m from juice.
    expect(locateItem(pt(2.3, 0.5), shelf)).toBe("water");
    expect(locateItem(pt(2.7, 0.5), shelf)).toBe("juice");
    expect(locateItem(pt(3.9, 0.5), shelf)).toBe("juice");
    expect(locateItem(pt(3.9, 0.5), shelf, { maxSlotDistanceM: 0.2 })).toBeNull();
    expect(locateItem(pt(-0.4, 0.5), shelf)).toBe("cola");
    expect(locateItem(pt(-0.6, 0.5), shelf)).toBeNull();
  });

  it("picks among stacked levels by nearest centre, then lowest level", () => {
    const stacked = zone("t", rect(0, 0, 4, 1), {
      shelfLine: [pt(0, 0), pt(4, 0)],
      slots: [
        { itemId: "top-wide", start: 0, end: 1, level: 2 },
        { itemId: "bottom-left", start: 0, end: 0.5, level: 0 },
        { itemId: "middle-left", start: 0, end: 0.5, level: 1 },
      ],
    });
    // t = 0.25: centres at 0.5 (wide) vs 0.25 (left ones): the left ones win, lowest level first.
    expect(locateItem(pt(1, 0.5), stacked)).toBe("bottom-left");
    // t = 0.8: only the wide top slot contains it.
    expect(locateItem(pt(3.2, 0.5), stacked)).toBe("top-wide");
  });

  it("returns null for a zone without slots", () => {
    expect(locateItem(pt(1, 0.5), zone("e", rect(0, 0, 4, 1)))).toBeNull();
  });
});

describe("zone schemas", () => {
  const valid = {
    id: "zone-1",
    name: "Drinks",
    polygon: rect(0, 0, 4, 1),
    shelfLine: [pt(0, 0), pt(4, 0)],
    staffOnly: false,
    slots: [
      { itemId: "cola", start: 0, end: 0.5 },
      { itemId: "water", start: 0.5, end: 1, level: 0 },
      { itemId: "chips", start: 0.2, end: 0.8, level: 1 },
    ],
  };

  it("accepts a valid zone and fills slot levels", () => {
    const parsed = ZShelfZone.parse(valid);
    expect(parsed.slots[0]!.level).toBe(0);
    const z: ShelfZone = parsed;
    expect(locateItem(pt(1, 0.5), z)).toBe("cola");
  });

  it("rejects unknown keys, out-of-range fractions and empty slots", () => {
    expect(ZShelfZone.safeParse({ ...valid, colour: "red" }).success).toBe(false);
    expect(ZPlanogramSlot.safeParse({ itemId: "x", start: 0.5, end: 0.5 }).success).toBe(false);
    expect(ZPlanogramSlot.safeParse({ itemId: "x", start: -0.1, end: 0.5 }).success).toBe(false);
    expect(ZPlanogramSlot.safeParse({ itemId: "x", start: 0.1, end: 1.5 }).success).toBe(false);
    expect(ZPlanogramSlot.safeParse({ itemId: "", start: 0.1, end: 0.5 }).success).toBe(false);
    expect(ZPlanogramSlot.safeParse({ itemId: "x", start: 0.1, end: 0.5, extra: 1 }).success).toBe(false);
  });

  it("rejects overlapping slots on the same level, pointing at the offender", () => {
    const result = ZShelfZone.safeParse({
      ...valid,
      slots: [...valid.slots, { itemId: "juice", start: 0.4, end: 0.6 }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["slots", 3]);
  });

  it("rejects self-intersecting, degenerate and out-of-bounds polygons", () => {
    const bowTie = [pt(0, 0), pt(2, 2), pt(2, 0), pt(0, 2)];
    expect(ZZonePolygon.safeParse(bowTie).success).toBe(false);
    expect(ZZonePolygon.safeParse([pt(0, 0), pt(1, 1), pt(2, 2)]).success).toBe(false);
    expect(ZZonePolygon.safeParse([pt(0, 0), pt(1, 0)]).success).toBe(false);
    expect(ZZonePolygon.safeParse(rect(0, 0, 20_000, 1)).success).toBe(false);
    expect(ZZonePolygon.safeParse(L_SHAPE).success).toBe(true);
    // A polygon touching itself at a vertex is not simple either.
    expect(ZZonePolygon.safeParse([pt(0, 0), pt(2, 0), pt(1, 1), pt(2, 2), pt(0, 2), pt(1, 1)]).success).toBe(
      false,
    );
  });

  it("rejects zero-length shelf lines", () => {
    expect(ZShelfLine.safeParse([pt(1, 1), pt(1, 1)]).success).toBe(false);
    expect(ZShelfLine.safeParse([pt(1, 1), pt(2, 1)]).success).toBe(true);
  });
});

describe("polygonsOverlap", () => {
  it("finds two shelves drawn over each other", () => {
    expect(polygonsOverlap(rect(0, 0, 4, 2), rect(3, 1, 4, 2))).toBe(true);
  });

  it("lets neighbouring shelves share an edge or a corner", () => {
    expect(polygonsOverlap(rect(0, 0, 4, 2), rect(4, 0, 4, 2))).toBe(false);
    expect(polygonsOverlap(rect(0, 0, 4, 2), rect(1, 2, 2, 1))).toBe(false);
    expect(polygonsOverlap(rect(0, 0, 4, 2), rect(4, 2, 1, 1))).toBe(false);
  });

  it("finds containment and identical outlines, with no corner crossing an edge", () => {
    expect(polygonsOverlap(rect(0, 0, 10, 10), rect(2, 2, 1, 1))).toBe(true);
    expect(polygonsOverlap(rect(2, 2, 1, 1), rect(0, 0, 10, 10))).toBe(true);
    expect(polygonsOverlap(rect(0, 0, 4, 2), rect(0, 0, 4, 2))).toBe(true);
  });

  it("finds a cross of two bars, where no corner lies inside the other", () => {
    expect(polygonsOverlap(rect(0, 2, 6, 2), rect(2, 0, 2, 6))).toBe(true);
  });

  it("keeps a shelf in the notch of an L apart from the L", () => {
    expect(polygonsOverlap(L_SHAPE, rect(2, 0, 2, 2))).toBe(false);
    expect(polygonsOverlap(L_SHAPE, rect(2.5, 0.5, 2, 2))).toBe(true);
  });

  it("is symmetric on random rectangles and agrees with their interval overlap", () => {
    const rnd = seededRandom(7);
    for (let i = 0; i < 500; i++) {
      const [ax, ay, bx, by] = [rnd() * 10, rnd() * 10, rnd() * 10, rnd() * 10];
      const [aw, ah, bw, bh] = [0.1 + rnd() * 5, 0.1 + rnd() * 5, 0.1 + rnd() * 5, 0.1 + rnd() * 5];
      const expected = ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;
      expect(polygonsOverlap(rect(ax, ay, aw, ah), rect(bx, by, bw, bh))).toBe(expected);
      expect(polygonsOverlap(rect(bx, by, bw, bh), rect(ax, ay, aw, ah))).toBe(expected);
    }
  });
});
