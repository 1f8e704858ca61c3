import { describe, expect, it } from "vitest";
import type { FloorMPoint, FramePxPoint, Homography } from "./coords.ts";
import {
  applyHomography,
  composeHomographies,
  estimateHomography,
  homographyFromMatrix,
  HomographyError,
  invertHomography,
  transferErrors,
  ZPointPairs,
  type HomographyErrorCode,
  type PointPair,
} from "./homography.ts";
import { seededRandom } from "./prng.ts";
import { projectWorld, SHELF_CAMERA, unprojectToPlane } from "./test-support/pinhole-camera.ts";

type Pair = PointPair<"FramePx", "FloorM">;

const CM = 0.01;

/** Floor points in front of the shelf camera (about 1.5–6 m away), all visible. */
function floorGrid(nx: number, ny: number): FloorMPoint[] {
  const points: FloorMPoint[] = [];
  for (let i = 0; i < nx; i++)
    for (let j = 0; j < ny; j++)
      points.push({ x: 0.5 + (3 * i) / Math.max(1, nx - 1), y: 2.5 + (3.5 * j) / Math.max(1, ny - 1) });
  return points;
}

function pairsFor(floor: readonly FloorMPoint[], noisePx = 0, seed = 1): Pair[] {
  const next = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return floor.map((f) => {
    const p = projectWorld(SHELF_CAMERA, f.x, f.y, 0);
    return { frame: { x: p.x + noisePx * gauss(), y: p.y + noisePx * gauss() }, floor: f };
  });
}

/** Largest floor error of H over a dense grid covering the calibrated area, in metres. */
function maxGridErrorM(H: Homography<"FramePx", "FloorM">): number {
  let worst = 0;
  for (const f of floorGrid(13, 13)) {
    const frame = projectWorld(SHELF_CAMERA, f.x, f.y, 0);
    const mapped = applyHomography(H, frame);
    worst = Math.max(worst, Math.hypot(mapped.x - f.x, mapped.y - f.y));
  }
  return worst;
}

function expectCode(fn: () => unknown, code: HomographyErrorCode): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HomographyError);
    expect((error as HomographyError).code).toBe(code);
    expect((error as Error).message.length).toBeGreaterThan(10);
    return;
  }
  throw new Error(`expected HomographyError ${code}, nothing was thrown`);
}

describe("estimateHomography: recovering known transforms", () => {
  it("recovers the camera's floor mapping exactly from four corner points", () => {
    const pairs = pairsFor([
      { x: 0.5, y: 2.5 },
      { x: 3.5, y: 2.5 },
      { x: 3.5, y: 6 },
      { x: 0.5, y: 6 },
    ]);
    const { homography, reprojectionError, inliers } = estimateHomography(pairs);
    expect(inliers).toEqual([0, 1, 2, 3]);
    expect(reprojectionError.maxM).toBeLessThan(1e-9);
    expect(homography.h[8]).toBe(1);
    expect(maxGridErrorM(homography)).toBeLessThan(1e-6);
  });

  it("recovers random projective transforms between arbitrary spaces", () => {
    const next = seededRandom(21);
    for (let trial = 0; trial < 25; trial++) {
      // A random, mildly projective H (keeps the sample square on one side of the horizon).
      const truth: Homography<"FramePx", "FloorM"> = homographyFromMatrix([
        0.5 + next(),
        next() - 0.5,
        next() * 10 - 5,
        next() - 0.5,
        0.5 + next(),
        next() * 10 - 5,
        (next() - 0.5) * 1e-3,
        (next() - 0.5) * 1e-3,
        1,
      ]);
      const frame: FramePxPoint[] = Array.from({ length: 4 + Math.floor(next() * 8) }, () => ({
        x: next() * 600,
        y: next() * 400,
      }));
      const pairs = frame.map((p) => ({ frame: p, floor: applyHomography(truth, p) }));
      const { homography, reprojectionError } = estimateHomography(pairs, { inlierThreshold: 1e-6 });
      expect(reprojectionError.maxM).toBeLessThan(1e-7);
      homography.h.forEach((v, i) => expect(v).toBeCloseTo(truth.h[i]!, 6));
    }
  });

  it("stays within 1 cm over the whole calibrated area from noisy clicks (0.5 px)", () => {
    const pairs = pairsFor(floorGrid(5, 4), 0.5, 7);
    const { homography, reprojectionError, inliers } = estimateHomography(pairs);
    expect(inliers).toHaveLength(20);
    expect(reprojectionError.rmsM).toBeGreaterThan(0);
    expect(reprojectionError.rmsM).toBeLessThan(CM);
    expect(reprojectionError.maxM).toBeGreaterThanOrEqual(reprojectionError.rmsM);
    expect(maxGridErrorM(homography)).toBeLessThan(CM);
  });

  it("refinement never makes the transfer error worse than the linear fit", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const pairs = pairsFor(floorGrid(4, 4), 2, seed);
      const linear = estimateHomography(pairs, { refine: false, ransac: false });
      const refined = estimateHomography(pairs, { refine: true, ransac: false });
      expect(refined.reprojectionError.rmsM).toBeLessThanOrEqual(linear.reprojectionError.rmsM + 1e-12);
      // The linear fit minimises an algebraic error, so with noise the refinement strictly helps.
      expect(refined.reprojectionError.rmsM).toBeLessThan(linear.reprojectionError.rmsM * (1 - 1e-6));
    }
  });
});

describe("estimateHomography: RANSAC", () => {
  function withOutliers(nx: number, ny: number, outlierIdx: readonly number[], seed: number): Pair[] {
    const next = seededRandom(seed + 1000);
    return pairsFor(floorGrid(nx, ny), 0.3, seed).map((p, i) =>
      outlierIdx.includes(i)
        ? { ...p, floor: { x: p.floor.x + 0.5 + next(), y: p.floor.y - 0.5 - next() } }
        : p,
    );
  }

  it("drops mis-clicked points (exhaustive subsets for small inputs)", () => {
    const outliers = [2, 7, 11];
    const pairs = withOutliers(4, 3, outliers, 3);
    const result = estimateHomography(pairs);
    expect(result.inliers).toEqual([...Array(12).keys()].filter((i) => !outliers.includes(i)));
    expect(result.reprojectionError.maxM).toBeLessThan(CM);
    expect(maxGridErrorM(result.homography)).toBeLessThan(CM);
  });

  it("without RANSAC the same outliers ruin the fit (so the test above can fail)", () => {
    const pairs = withOutliers(4, 3, [2, 7, 11], 3);
    const result = estimateHomography(pairs, { ransac: false });
    expect(result.inliers).toHaveLength(12);
    expect(maxGridErrorM(result.homography)).toBeGreaterThan(10 * CM);
  });

  it("handles many points with 25 % outliers by seeded random sampling, reproducibly", () => {
    const outliers = [0, 3, 5, 9, 14, 18, 22, 27, 31, 33, 36, 40, 44, 47];
    const pairs = withOutliers(8, 7, outliers, 5);
    const a = estimateHomography(pairs, { seed: 42 });
    const b = estimateHomography(pairs, { seed: 42 });
    expect(a).toEqual(b);
    expect(a.inliers).toEqual([...Array(56).keys()].filter((i) => !outliers.includes(i)));
    expect(maxGridErrorM(a.homography)).toBeLessThan(CM);
    const c = estimateHomography(pairs, { seed: 7 });
    expect(c.inliers).toEqual(a.inliers);
  });

  it("uses the inlier threshold in floor units", () => {
    // One point 8 cm off: an inlier at 10 cm, an outlier at the 5 cm default.
    const pairs = pairsFor(floorGrid(3, 3)).map((p, i) =>
      i === 4 ? { ...p, floor: { x: p.floor.x + 0.08, y: p.floor.y } } : p,
    );
    expect(estimateHomography(pairs).inliers).not.toContain(4);
    expect(estimateHomography(pairs, { inlierThreshold: 0.1 }).inliers).toContain(4);
  });

  it("reports no consensus when the pairs agree on nothing", () => {
    const next = seededRandom(8);
    const pairs: Pair[] = Array.from({ length: 10 }, () => ({
      frame: { x: next() * 1920, y: next() * 1080 },
      floor: { x: next() * 10, y: next() * 10 },
    }));
    expectCode(() => estimateHomography(pairs), "no_consensus");
  });
});

describe("estimateHomography: degenerate input", () => {
  const square: Pair[] = [
    { frame: { x: 0, y: 0 }, floor: { x: 0, y: 0 } },
    { frame: { x: 100, y: 0 }, floor: { x: 1, y: 0 } },
    { frame: { x: 100, y: 100 }, floor: { x: 1, y: 1 } },
    { frame: { x: 0, y: 100 }, floor: { x: 0, y: 1 } },
  ];

  it("accepts the plain square (sanity check for the cases below)", () => {
    const { homography } = estimateHomography(square);
    const p = applyHomography(homography, { x: 50, y: 25 });
    expect(p.x).toBeCloseTo(0.5, 12);
    expect(p.y).toBeCloseTo(0.25, 12);
  });

  it("rejects fewer than four pairs", () => {
    expectCode(() => estimateHomography(square.slice(0, 3)), "too_few_points");
    expectCode(() => estimateHomography([]), "too_few_points");
  });

  it("rejects non-finite coordinates", () => {
    expectCode(
      () =>
        estimateHomography([
          ...square.slice(0, 3),
          { frame: { x: Number.NaN, y: 1 }, floor: { x: 2, y: 2 } },
        ]),
      "non_finite",
    );
    expectCode(
      () =>
        estimateHomography([
          ...square.slice(0, 3),
          { frame: { x: 5, y: 1 }, floor: { x: Number.POSITIVE_INFINITY, y: 2 } },
        ]),
      "non_finite",
    );
  });

  it("rejects duplicate frame or floor points", () => {
    expectCode(
      () => estimateHomography([...square, { frame: { x: 100, y: 0 }, floor: { x: 3, y: 3 } }]),
      "duplicate_points",
    );
    expectCode(
      () => estimateHomography([...square, { frame: { x: 30, y: 70 }, floor: { x: 1, y: 1 } }]),
      "duplicate_points",
    );
  });

  it("rejects four points with three collinear, on either side", () => {
    const frameCollinear = square.map((p, i) => (i === 1 ? { ...p, frame: { x: 50, y: 50 } } : p));
    expectCode(() => estimateHomography(frameCollinear), "collinear");
    const floorCollinear = square.map((p, i) => (i === 3 ? { ...p, floor: { x: 0.5, y: 0.5 } } : p));
    expectCode(() => estimateHomography(floorCollinear), "collinear");
    // Nearly collinear (0.5 % of the side) counts too: such a fit is dominated by click noise.
    const nearly = square.map((p, i) => (i === 1 ? { ...p, frame: { x: 50, y: 50.5 } } : p));
    expectCode(() => estimateHomography(nearly), "collinear");
  });

  it("rejects all-collinear point sets of any size", () => {
    const line: Pair[] = Array.from({ length: 7 }, (_, i) => ({
      frame: { x: 10 * i, y: 5 * i },
      floor: { x: i, y: i * i },
    }));
    expectCode(() => estimateHomography(line), "collinear");
  });

  it("rejects sets where every four points include three collinear ones", () => {
    const pairs: Pair[] = [
      ...Array.from({ length: 5 }, (_, i) => ({ frame: { x: 100 * i, y: 0 }, floor: { x: i, y: 0 } })),
      { frame: { x: 200, y: 300 }, floor: { x: 2, y: 3 } },
    ];
    expectCode(() => estimateHomography(pairs), "collinear");
  });

  it("rejects pairings that fold the plane through the horizon (swapped points)", () => {
    const swapped = square.map((p, i) =>
      i === 2 ? { ...p, floor: square[3]!.floor } : i === 3 ? { ...p, floor: square[2]!.floor } : p,
    );
    expectCode(() => estimateHomography(swapped), "ill_conditioned");
    // An irregular quadrilateral, so the failure is not just the symmetric centroid mapping to infinity.
    const frame: FramePxPoint[] = [
      { x: 0, y: 0 },
      { x: 120, y: 10 },
      { x: 90, y: 110 },
      { x: -10, y: 80 },
    ];
    const floor: FloorMPoint[] = [
      { x: 0, y: 0 },
      { x: 1, y: 0 },
      { x: 0.1, y: 1.2 },
      { x: 1.3, y: 0.9 },
    ];
    expectCode(
      () => estimateHomography(frame.map((f, i) => ({ frame: f, floor: floor[i]! }))),
      "ill_conditioned",
    );
  });

  it("rejects invalid options", () => {
    expect(() => estimateHomography(square, { inlierThreshold: 0 })).toThrow(RangeError);
    expect(() => estimateHomography(square, { confidence: 1 })).toThrow(RangeError);
    expect(() => estimateHomography(square, { maxIterations: 0.5 })).toThrow(RangeError);
  });
});

describe("applyHomography / invertHomography / composeHomographies", () => {
  const H = homographyFromMatrix<"FramePx", "FloorM">([0.01, 0.002, -1, 0.001, 0.02, 0.5, 1e-4, 2e-4, 1]);

  it("applies a known projective transform", () => {
    const p = applyHomography(H, { x: 100, y: 200 });
    const w = 1e-4 * 100 + 2e-4 * 200 + 1;
    expect(p.x).toBeCloseTo((0.01 * 100 + 0.002 * 200 - 1) / w, 12);
    expect(p.y).toBeCloseTo((0.001 * 100 + 0.02 * 200 + 0.5) / w, 12);
  });

  it("inverts: H⁻¹(H(p)) = p", () => {
    const inv = invertHomography(H);
    expect(inv.h[8]).toBe(1);
    for (const p of [
      { x: 0, y: 0 },
      { x: 640, y: 480 },
      { x: 1919, y: 5 },
    ]) {
      const back = applyHomography(inv, applyHomography(H, p));
      expect(back.x).toBeCloseTo(p.x, 8);
      expect(back.y).toBeCloseTo(p.y, 8);
    }
  });

  it("composes in order: (second ∘ first)(p) = second(first(p))", () => {
    const first = homographyFromMatrix<"FrameNorm", "FramePx">([1920, 0, 0, 0, 1080, 0, 0, 0, 1]);
    const composed = composeHomographies(first, H);
    const p = { x: 0.25, y: 0.75 };
    const direct = applyHomography(H, applyHomography(first, p));
    const viaComposed = applyHomography(composed, p);
    expect(viaComposed.x).toBeCloseTo(direct.x, 12);
    expect(viaComposed.y).toBeCloseTo(direct.y, 12);
  });

  it("throws on points on the horizon and on singular matrices", () => {
    // Horizon of H: 1e-4 x + 2e-4 y + 1 = 0.
    expectCode(() => applyHomography(H, { x: -10000, y: 0 }), "point_at_infinity");
    expectCode(() => homographyFromMatrix([1, 2, 3, 2, 4, 6, 0, 0, 1]), "singular");
    expectCode(() => invertHomography({ h: [1, 2, 3, 2, 4, 6, 0, 0, 1] }), "singular");
  });

  it("normalises stored matrices to h[8] = 1 and refuses those it cannot", () => {
    expect(homographyFromMatrix([2, 0, 0, 0, 2, 0, 0, 0, 2]).h).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expectCode(() => homographyFromMatrix([1, 0, 0, 0, 0, 1, 0, 1, 0]), "ill_conditioned");
    expectCode(() => homographyFromMatrix([1, 0, 0]), "non_finite");
    expectCode(() => homographyFromMatrix([1, 0, 0, 0, 1, 0, 0, 0, Number.NaN]), "non_finite");
  });
});

describe("transferErrors", () => {
  it("reports per-pair errors in floor units", () => {
    const truth = unprojectToPlane(SHELF_CAMERA, { x: 960, y: 700 });
    const H = estimateHomography(pairsFor(floorGrid(3, 3))).homography;
    const errors = transferErrors(H, [
      { frame: { x: 960, y: 700 }, floor: truth },
      { frame: { x: 960, y: 700 }, floor: { x: truth.x + 0.3, y: truth.y + 0.4 } },
    ]);
    expect(errors[0]).toBeLessThan(1e-6);
    expect(errors[1]).toBeCloseTo(0.5, 6);
  });
});

describe("ZPointPairs", () => {
  it("accepts stored calibrations and rejects malformed ones", () => {
    const valid = [0, 1, 2, 3].map((i) => ({ frame: { x: i, y: i * i }, floor: { x: i, y: 1 } }));
    expect(ZPointPairs.safeParse(valid).success).toBe(true);
    expect(ZPointPairs.safeParse(valid.slice(0, 3)).success).toBe(false);
    expect(
      ZPointPairs.safeParse([...valid.slice(0, 3), { frame: { x: 1, y: 1 }, floor: { x: 1, y: 1 }, z: 1 }])
        .success,
    ).toBe(false);
    expect(ZPointPairs.safeParse([...valid.slice(0, 3), { frame: { x: 1, y: 1 } }]).success).toBe(false);
  });
});
