import { describe, expect, it } from "vitest";
import { applyHomography } from "@shelf/core";
import { fitCalibration, zonesInFrame } from "./calibration-fit.ts";
import {
  completePairs,
  editPair,
  openPair,
  pairColor,
  pairPrompt,
  placePoint,
  type DraftPair,
} from "./point-pairs.ts";

const frame = { width: 640, height: 480 };
const plan = { widthM: 12, heightM: 8 };
// The browser test's clicks: a camera across the aisle looking at a 12 × 8 m plan.
const clicked: DraftPair[] = [
  { frame: { x: 20, y: 470 }, floor: { x: 3, y: 3 } },
  { frame: { x: 620, y: 470 }, floor: { x: 9, y: 3 } },
  { frame: { x: 620, y: 210 }, floor: { x: 10, y: 6 } },
  { frame: { x: 20, y: 210 }, floor: { x: 2, y: 6 } },
];

describe("point pairs", () => {
  it("pairs clicks in order, whichever side comes first", () => {
    let pairs: DraftPair[] = [];
    expect(pairPrompt(pairs)).toMatch(/start pair 1/);
    pairs = placePoint(pairs, "frame", { x: 1, y: 2 });
    expect(pairPrompt(pairs)).toBe("Pair 1: now click the same point on the floor plan.");
    pairs = placePoint(pairs, "frame", { x: 3, y: 4 }); // a second frame point starts pair 2
    pairs = placePoint(pairs, "floor", { x: 0.5, y: 0.5 }); // completes pair 1
    expect(pairs).toEqual([
      { frame: { x: 1, y: 2 }, floor: { x: 0.5, y: 0.5 } },
      { frame: { x: 3, y: 4 }, floor: null },
    ]);
    expect(openPair(pairs)).toBe(1);
    pairs = placePoint([], "floor", { x: 1, y: 1 });
    expect(pairPrompt(pairs)).toBe("Pair 1: now click the same point on the camera image.");
  });

  it("takes typed coordinates, starting a missing side at the origin", () => {
    const pairs = editPair([{ frame: { x: 5, y: 6 }, floor: null }], 0, "floor", "y", 2.5);
    expect(pairs[0]!.floor).toEqual({ x: 0, y: 2.5 });
    expect(editPair(pairs, 0, "frame", "x", Number.NaN)).toEqual(pairs);
  });

  it("keeps complete pairs as the same objects", () => {
    const pairs = [...clicked, { frame: { x: 1, y: 1 }, floor: null }];
    const complete = completePairs(pairs);
    expect(complete).toHaveLength(4);
    expect(complete.indexOf(pairs[2] as (typeof complete)[number])).toBe(2);
  });

  it("colours pairs in a cycle", () => {
    expect(pairColor(1)).toBe(pairColor(9));
  });
});

describe("fitCalibration", () => {
  it("waits for four pairs", () => {
    expect(fitCalibration(completePairs(clicked.slice(0, 3)), frame, plan, 1.5)).toBeNull();
  });

  it("fits four pairs exactly and shades what the camera sees", () => {
    const fit = fitCalibration(completePairs(clicked), frame, plan, 1.5);
    expect(fit?.ok).toBe(true);
    if (!fit?.ok) return;
    expect(fit.estimate.reprojectionError.rmsM).toBeLessThan(1e-9);
    expect(fit.residuals).toHaveLength(4);
    expect(fit.fov.length).toBeGreaterThanOrEqual(3);
  });

  it("says why four points on one line calibrate nothing", () => {
    const line = [0, 1, 2, 3].map((i) => ({
      frame: { x: 100 + i * 120, y: 240 },
      floor: { x: 2 + i * 2, y: 3 + i },
    }));
    const fit = fitCalibration(line, frame, plan, 1.5);
    expect(fit).toMatchObject({ ok: false });
    expect(fit && !fit.ok && fit.message).toMatch(/line/);
  });
});

describe("zonesInFrame", () => {
  it("maps a zone in view onto the image, and leaves out one behind the camera", () => {
    const complete = completePairs(clicked);
    const fit = fitCalibration(complete, frame, plan, 1.5);
    const zones = [
      {
        id: "seen",
        name: "Snacks",
        staffOnly: false,
        polygon: [
          { x: 4, y: 4 },
          { x: 8, y: 4 },
          { x: 8, y: 5 },
        ],
      },
      {
        id: "behind",
        name: "Far",
        staffOnly: false,
        polygon: [
          { x: 6, y: -500 },
          { x: 7, y: -500 },
          { x: 6, y: -501 },
        ],
      },
    ];
    const out = zonesInFrame(fit, zones, complete);
    expect(out.map((z) => z.id)).toEqual(["seen"]);
    if (!fit?.ok) throw new Error("no fit");
    // Back through the mapping, each drawn corner is the zone's corner.
    out[0]!.points.forEach((p, i) => {
      const back = applyHomography(fit.estimate.homography, p);
      expect(back.x).toBeCloseTo(zones[0]!.polygon[i]!.x, 6);
      expect(back.y).toBeCloseTo(zones[0]!.polygon[i]!.y, 6);
    });
    expect(zonesInFrame(null, zones, complete)).toEqual([]);
  });
});
