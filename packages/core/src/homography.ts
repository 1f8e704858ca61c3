import { z } from "zod";
import { ZPoint, type Homography, type Point, type Space } from "./coords.ts";
import { mat3Inverse, mat3Multiply, solveLinearSystem, symmetricEigen, type Mat3 } from "./linalg.ts";
import { seededRandom } from "./prng.ts";

/** Why a homography could not be estimated or applied. */
export type HomographyErrorCode =
  /** Fewer than four point pairs. */
  | "too_few_points"
  /** A coordinate or matrix entry is NaN or ±Infinity. */
  | "non_finite"
  /** Two pairs share a frame point or a floor point. */
  | "duplicate_points"
  /** Three of four points (or all points) lie on one line, in the frame or on the floor. */
  | "collinear"
  /** The points determine no unique, well-behaved transform (e.g. they straddle the horizon). */
  | "ill_conditioned"
  /** RANSAC found too few points that agree with any one transform. */
  | "no_consensus"
  /** The matrix cannot be inverted. */
  | "singular"
  /** The point lies on the transform's horizon line and maps to infinity. */
  | "point_at_infinity";

/** A domain error from homography estimation or use; `code` says which rule was broken. */
export class HomographyError extends Error {
  constructor(
    readonly code: HomographyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "HomographyError";
  }
}

/** A calibration correspondence: a point clicked in the frame and the same point on the floor plan. */
export interface PointPair<From extends Space, To extends Space> {
  readonly frame: Point<From>;
  readonly floor: Point<To>;
}

/** Most point pairs a stored calibration may hold. */
export const MAX_POINT_PAIRS = 256;
/** One stored calibration pair (`Calibration.pointPairs[i]`), FramePx → FloorM. */
export const ZPointPair = z.object({ frame: ZPoint, floor: ZPoint }).strict();
/** The `Calibration.pointPairs` JSON column: 4 to {@link MAX_POINT_PAIRS} pairs. */
export const ZPointPairs = z.array(ZPointPair).min(4).max(MAX_POINT_PAIRS);

/** Options of {@link estimateHomography}. */
export interface EstimateHomographyOptions {
  /** A pair is an inlier when its transfer error is at most this, in `To` units (metres for FloorM). Default 0.05. */
  readonly inlierThreshold?: number;
  /** Use RANSAC when more than four pairs are given. Default true; false fits all pairs by least squares. */
  readonly ransac?: boolean;
  /**
   * Most RANSAC hypotheses. When C(n, 4) is at most this, every 4-subset is tried (exact and
   * deterministic); otherwise subsets are drawn with a seeded PRNG. Default 2000.
   */
  readonly maxIterations?: number;
  /** Probability of having drawn one all-inlier sample, for the adaptive stop of random sampling. Default 0.999. */
  readonly confidence?: number;
  /** PRNG seed for random sampling, so that a calibration is reproducible. Default 1. */
  readonly seed?: number;
  /** Least fraction of all pairs that must be inliers, else `no_consensus`. Default 0.5. */
  readonly minInlierRatio?: number;
  /** Polish the linear fit by minimising the transfer error (Levenberg–Marquardt). Default true. */
  readonly refine?: boolean;
  /**
   * Three points count as collinear when the triangle's height is below this fraction of its longest
   * side (scale-free: 0.01 is 1 cm off a 1 m line, 10 px off a 1000 px line). Default 0.01.
   */
  readonly collinearityTolerance?: number;
}

/** A fitted homography and how well it explains its inliers. */
export interface HomographyEstimate<From extends Space, To extends Space> {
  readonly homography: Homography<From, To>;
  /**
   * Transfer error |H·frame − floor| over the inliers, in `To` units (metres for FloorM). Outliers
   * are the indices missing from `inliers`.
   */
  readonly reprojectionError: { readonly rmsM: number; readonly maxM: number };
  /** Indices into the input pairs used for the final fit, ascending. */
  readonly inliers: number[];
}

const DEFAULTS = {
  inlierThreshold: 0.05,
  ransac: true,
  maxIterations: 2000,
  confidence: 0.999,
  seed: 1,
  minInlierRatio: 0.5,
  refine: true,
  collinearityTolerance: 0.01,
} satisfies Required<EstimateHomographyOptions>;

interface Xy {
  x: number;
  y: number;
}

/**
 * Estimates the homography mapping `frame` points to `floor` points (normally FramePx → FloorM).
 *
 * Method: normalised DLT (Hartley: each side translated to its centroid and scaled to mean distance
 * √2) solved as the eigenvector of AᵀA with the smallest eigenvalue; with more than four pairs,
 * RANSAC (MSAC scoring) over minimal 4-point samples, then a refit on the inliers repeated until the
 * inlier set is stable, then (by default) Levenberg–Marquardt on the transfer error. Every step is
 * deterministic: exhaustive subsets for small inputs, a seeded PRNG for large ones.
 *
 * The result is normalised so that `h[8] = 1`. The spaces default to FramePx → FloorM and are not
 * inferred from `pairs` (plain `{x, y}` objects carry no space); name them to map other spaces.
 *
 * @throws HomographyError `too_few_points`, `non_finite`, `duplicate_points`, `collinear`,
 *   `ill_conditioned` or `no_consensus` (see {@link HomographyErrorCode}).
 */
export function estimateHomography<From extends Space = "FramePx", To extends Space = "FloorM">(
  pairs: readonly PointPair<NoInfer<From>, NoInfer<To>>[],
  options: EstimateHomographyOptions = {},
): HomographyEstimate<From, To> {
  const opts = { ...DEFAULTS, ...stripUndefined(options) };
  validateOptions(opts);
  const n = pairs.length;
  if (n < 4) throw new HomographyError("too_few_points", `need at least 4 point pairs, got ${n}`);
  const frame: Xy[] = pairs.map((p) => ({ x: p.frame.x, y: p.frame.y }));
  const floor: Xy[] = pairs.map((p) => ({ x: p.floor.x, y: p.floor.y }));
  pairs.forEach((p, i) => {
    if (![p.frame.x, p.frame.y, p.floor.x, p.floor.y].every(Number.isFinite))
      throw new HomographyError("non_finite", `point pair ${i} has a non-finite coordinate`);
  });
  assertNoDuplicates(frame, "frame");
  assertNoDuplicates(floor, "floor");
  assertNotAllCollinear(frame, "frame", opts.collinearityTolerance);
  assertNotAllCollinear(floor, "floor", opts.collinearityTolerance);

  const all = pairs.map((_, i) => i);
  let inliers: number[];
  let h: Mat3;
  if (n === 4 || !opts.ransac) {
    if (n === 4 && isDegenerateSample(all, frame, floor, opts.collinearityTolerance))
      throw new HomographyError(
        "collinear",
        "three of the four points lie on one line: spread the points out",
      );
    const fit = fitHomography(all, frame, floor, opts.refine);
    if (!fit.ok) throw illConditioned(fit.reason);
    h = fit.h;
    inliers = all;
  } else {
    ({ h, inliers } = ransac(frame, floor, opts));
  }

  const errors = transferErrorsOf(h, inliers, frame, floor);
  const rms = Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length);
  return {
    homography: { h: h as Homography<From, To>["h"] },
    reprojectionError: { rmsM: rms, maxM: Math.max(...errors) },
    inliers,
  };
}

/**
 * Maps `p` through `H`.
 *
 * @throws HomographyError `point_at_infinity` when `p` lies on the horizon line of `H`.
 */
export function applyHomography<From extends Space, To extends Space>(
  H: Homography<From, To>,
  p: Point<From>,
): Point<To> {
  const [a, b, c, d, e, f, g, h, i] = H.h;
  const w = g * p.x + h * p.y + i;
  const scale = Math.abs(g * p.x) + Math.abs(h * p.y) + Math.abs(i);
  if (!(Math.abs(w) > 1e-12 * scale))
    throw new HomographyError(
      "point_at_infinity",
      `(${p.x}, ${p.y}) lies on the horizon and maps to infinity`,
    );
  return { x: (a * p.x + b * p.y + c) / w, y: (d * p.x + e * p.y + f) / w };
}

/**
 * The inverse transform (`To` → `From`), normalised so that `h[8] = 1`.
 *
 * @throws HomographyError `singular` if `H` has no inverse; `ill_conditioned` if the inverse maps the
 *   `To` origin to infinity (then it cannot be normalised to `h[8] = 1`).
 */
export function invertHomography<From extends Space, To extends Space>(
  H: Homography<From, To>,
): Homography<To, From> {
  const inv = mat3Inverse(H.h);
  if (!inv) throw new HomographyError("singular", "the homography is singular and has no inverse");
  return { h: normaliseMatrix(inv) };
}

/**
 * `second ∘ first`: maps `A` to `C` through `B` (e.g. FrameNorm → FramePx → FloorM).
 *
 * @throws HomographyError `ill_conditioned` if the product cannot be normalised to `h[8] = 1`.
 */
export function composeHomographies<A extends Space, B extends Space, C extends Space>(
  first: Homography<A, B>,
  second: Homography<B, C>,
): Homography<A, C> {
  return { h: normaliseMatrix(mat3Multiply(second.h, first.h)) };
}

/**
 * A homography from a stored row-major matrix (`Calibration.homography`), normalised to `h[8] = 1`.
 *
 * @throws HomographyError `non_finite` (wrong length or non-finite entries), `singular`, or `ill_conditioned`.
 */
export function homographyFromMatrix<From extends Space, To extends Space>(
  m: readonly number[],
): Homography<From, To> {
  if (m.length !== 9 || !m.every(Number.isFinite))
    throw new HomographyError("non_finite", "a homography matrix needs 9 finite numbers");
  const h = m as unknown as Mat3;
  if (!mat3Inverse(h)) throw new HomographyError("singular", "the homography matrix is singular");
  return { h: normaliseMatrix(h) };
}

/**
 * Transfer error |H·frame − floor| of every pair, in `To` units; Infinity for a frame point on the
 * horizon. Meant for showing per-point residuals in the calibration editor.
 */
export function transferErrors<From extends Space, To extends Space>(
  H: Homography<From, To>,
  pairs: readonly PointPair<NoInfer<From>, NoInfer<To>>[],
): number[] {
  return transferErrorsOf(
    H.h,
    pairs.map((_, i) => i),
    pairs.map((p) => p.frame),
    pairs.map((p) => p.floor),
  );
}

// ───────────────────────────── internals ─────────────────────────────

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function validateOptions(o: Required<EstimateHomographyOptions>): void {
  const bad = (what: string) => new RangeError(`estimateHomography: ${what}`);
  if (!(o.inlierThreshold > 0) || !Number.isFinite(o.inlierThreshold))
    throw bad("inlierThreshold must be > 0");
  if (!Number.isInteger(o.maxIterations) || o.maxIterations < 1)
    throw bad("maxIterations must be an integer ≥ 1");
  if (!(o.confidence > 0 && o.confidence < 1)) throw bad("confidence must be in (0, 1)");
  if (!(o.minInlierRatio >= 0 && o.minInlierRatio <= 1)) throw bad("minInlierRatio must be in [0, 1]");
  if (!(o.collinearityTolerance >= 0 && o.collinearityTolerance < 1))
    throw bad("collinearityTolerance must be in [0, 1)");
}

function illConditioned(reason: FitFailure): HomographyError {
  return new HomographyError(
    "ill_conditioned",
    reason === "horizon"
      ? "the points lie on both sides of the transform's horizon: check that frame and floor points are paired in the same order"
      : "the points do not determine a unique, well-conditioned homography: spread them over the floor area",
  );
}

function normaliseMatrix(m: Mat3): Mat3 {
  const norm = Math.sqrt(m.reduce((s, x) => s + x * x, 0));
  if (!(Math.abs(m[8]) > 1e-12 * norm))
    throw new HomographyError(
      "ill_conditioned",
      "the transform maps the origin to infinity and cannot be normalised to h[8] = 1",
    );
  return m.map((x) => x / m[8]) as unknown as Mat3;
}

function assertNoDuplicates(points: readonly Xy[], side: "frame" | "floor"): void {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const p of points) {
    minX = Math.min(minX, p.x);
    maxX = Math.max(maxX, p.x);
    minY = Math.min(minY, p.y);
    maxY = Math.max(maxY, p.y);
  }
  const tolerance = 1e-9 * Math.hypot(maxX - minX, maxY - minY);
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++)
      if (Math.hypot(points[i]!.x - points[j]!.x, points[i]!.y - points[j]!.y) <= tolerance)
        throw new HomographyError(
          "duplicate_points",
          `point pairs ${i} and ${j} have the same ${side} point`,
        );
}

/** All points on one line: the spread across the principal axis is negligible next to the spread along it. */
function assertNotAllCollinear(points: readonly Xy[], side: "frame" | "floor", tolerance: number): void {
  const n = points.length;
  const cx = points.reduce((s, p) => s + p.x, 0) / n;
  const cy = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - cx) ** 2;
    syy += (p.y - cy) ** 2;
    sxy += (p.x - cx) * (p.y - cy);
  }
  const { values } = symmetricEigen([
    [sxx, sxy],
    [sxy, syy],
  ]);
  if (Math.sqrt(Math.max(0, values[0]!)) <= tolerance * Math.sqrt(values[1]!))
    throw new HomographyError(
      "collinear",
      `all ${side} points lie on one line: a homography needs a 2-D spread`,
    );
}

function nearlyCollinear(a: Xy, b: Xy, c: Xy, tolerance: number): boolean {
  const cross = Math.abs((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x));
  const longest = Math.max(
    (b.x - a.x) ** 2 + (b.y - a.y) ** 2,
    (c.x - a.x) ** 2 + (c.y - a.y) ** 2,
    (c.x - b.x) ** 2 + (c.y - b.y) ** 2,
  );
  // cross = longest side × height onto it, so cross / longest² is the height relative to that side.
  return !(cross > tolerance * longest);
}

function isDegenerateSample(
  idx: readonly number[],
  frame: readonly Xy[],
  floor: readonly Xy[],
  tolerance: number,
): boolean {
  for (let i = 0; i < idx.length; i++)
    for (let j = i + 1; j < idx.length; j++)
      for (let k = j + 1; k < idx.length; k++)
        for (const pts of [frame, floor])
          if (nearlyCollinear(pts[idx[i]!]!, pts[idx[j]!]!, pts[idx[k]!]!, tolerance)) return true;
  return false;
}

/** Hartley normalisation: x' = s·(x − c), mean distance from the centroid √2. */
interface Normaliser {
  readonly s: number;
  readonly cx: number;
  readonly cy: number;
}

function normaliserOf(points: readonly Xy[]): Normaliser {
  const cx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const cy = points.reduce((s, p) => s + p.y, 0) / points.length;
  const meanDist = points.reduce((s, p) => s + Math.hypot(p.x - cx, p.y - cy), 0) / points.length;
  return { s: Math.SQRT2 / meanDist, cx, cy };
}

type FitFailure = "degenerate" | "horizon";
type Fit = { ok: true; h: Mat3 } | { ok: false; reason: FitFailure };

/** Smallest w (relative to its mean of 1) a fitted point may have before it counts as on the horizon. */
const MIN_RELATIVE_W = 1e-6;

/**
 * Fits (and optionally refines) the homography of the pairs at `idx`; `h` is in raw units, `h[8] = 1`.
 * `fast` solves a 4-point sample as an 8×8 linear system with the normalised h[8] fixed at 1 (valid
 * because the centroid of points in front of the camera never maps to infinity), many times cheaper
 * than the eigen-solve; RANSAC uses it for hypotheses, where a failure only means "skip this sample".
 */
function fitHomography(
  idx: readonly number[],
  frame: readonly Xy[],
  floor: readonly Xy[],
  refine: boolean,
  fast = false,
): Fit {
  const src = idx.map((i) => frame[i]!);
  const dst = idx.map((i) => floor[i]!);
  const nf = normaliserOf(src);
  const nt = normaliserOf(dst);
  const a = src.map((p) => ({ x: nf.s * (p.x - nf.cx), y: nf.s * (p.y - nf.cy) }));
  const b = dst.map((p) => ({ x: nt.s * (p.x - nt.cx), y: nt.s * (p.y - nt.cy) }));

  let p: number[];
  if (fast && a.length === 4) {
    const rows: number[][] = [];
    const rhs: number[] = [];
    a.forEach(({ x, y }, k) => {
      const { x: u, y: v } = b[k]!;
      rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]);
      rhs.push(u, v);
    });
    const solved = solveLinearSystem(rows, rhs);
    if (!solved) return { ok: false, reason: "degenerate" };
    p = [...solved, 1];
  } else {
    const solved = solveDlt(a, b);
    if (!solved.ok) return solved;
    p = solved.p;
  }
  if (!a.every(({ x, y }) => p[6]! * x + p[7]! * y + 1 > MIN_RELATIVE_W))
    return { ok: false, reason: "horizon" };
  if (refine && a.length > 4) p = refineLevenbergMarquardt(p, a, b);

  const hnMat = p as unknown as Mat3;
  if (!wellConditioned(hnMat)) return { ok: false, reason: "degenerate" };
  const tFrom: Mat3 = [nf.s, 0, -nf.s * nf.cx, 0, nf.s, -nf.s * nf.cy, 0, 0, 1];
  const tToInv: Mat3 = [1 / nt.s, 0, nt.cx, 0, 1 / nt.s, nt.cy, 0, 0, 1];
  const h = mat3Multiply(mat3Multiply(tToInv, hnMat), tFrom);
  const norm = Math.sqrt(h.reduce((s, x) => s + x * x, 0));
  if (!(Math.abs(h[8]) > 1e-12 * norm)) return { ok: false, reason: "horizon" };
  return { ok: true, h: h.map((x) => x / h[8]) as unknown as Mat3 };
}

/**
 * Normalised DLT: the null vector of A (the eigenvector of AᵀA with the smallest eigenvalue), scaled
 * so that the normalised h[8] — w at the frame centroid — is 1, which makes the mean w of the points 1.
 */
function solveDlt(
  a: readonly Xy[],
  b: readonly Xy[],
): { ok: true; p: number[] } | { ok: false; reason: FitFailure } {
  // AᵀA accumulated row by row; each pair contributes two rows of the DLT system A·h = 0.
  const ata = Array.from({ length: 9 }, () => new Array<number>(9).fill(0));
  for (let k = 0; k < a.length; k++) {
    const { x, y } = a[k]!;
    const { x: u, y: v } = b[k]!;
    const rows = [
      [-x, -y, -1, 0, 0, 0, u * x, u * y, u],
      [0, 0, 0, -x, -y, -1, v * x, v * y, v],
    ];
    for (const r of rows)
      for (let i = 0; i < 9; i++) {
        if (r[i] === 0) continue;
        for (let j = i; j < 9; j++) ata[i]![j] = ata[i]![j]! + r[i]! * r[j]!;
      }
  }
  for (let i = 0; i < 9; i++) for (let j = 0; j < i; j++) ata[i]![j] = ata[j]![i]!;
  const { values, vectors } = symmetricEigen(ata);
  // A second (near-)zero eigenvalue means a 2-D solution space: the points do not pin H down.
  if (!(values[1]! > 1e-10 * values[8]!)) return { ok: false, reason: "degenerate" };
  const hn = vectors[0]!;
  if (!(Math.abs(hn[8]!) > 1e-8)) return { ok: false, reason: "horizon" };
  return { ok: true, p: hn.map((x) => x / hn[8]!) };
}

/** Condition number of the normalised H below 1e8: it neither collapses nor explodes the point cloud. */
function wellConditioned(hn: Mat3): boolean {
  const m = [0, 1, 2].map((i) =>
    [0, 1, 2].map((j) => hn[i]! * hn[j]! + hn[3 + i]! * hn[3 + j]! + hn[6 + i]! * hn[6 + j]!),
  );
  const { values } = symmetricEigen(m);
  return values[0]! > 1e-16 * values[2]!;
}

/**
 * Levenberg–Marquardt on the transfer error in normalised coordinates (a uniform scale of `To`, so
 * minimising it minimises metres), with h[8] fixed at 1. Steps that raise the cost or push a point
 * across the horizon are rejected, so the result is never worse than the input.
 */
function refineLevenbergMarquardt(p0: number[], a: readonly Xy[], b: readonly Xy[]): number[] {
  const costOf = (p: readonly number[]): number => {
    let cost = 0;
    for (let k = 0; k < a.length; k++) {
      const { x, y } = a[k]!;
      const w = p[6]! * x + p[7]! * y + 1;
      if (!(w > MIN_RELATIVE_W)) return Infinity;
      cost +=
        ((p[0]! * x + p[1]! * y + p[2]!) / w - b[k]!.x) ** 2 +
        ((p[3]! * x + p[4]! * y + p[5]!) / w - b[k]!.y) ** 2;
    }
    return cost;
  };
  let p = p0.slice(0, 8);
  let cost = costOf(p);
  let lambda = 1e-3;
  for (let iter = 0; iter < 50 && cost > 0; iter++) {
    const jtj = Array.from({ length: 8 }, () => new Array<number>(8).fill(0));
    const jtr = new Array<number>(8).fill(0);
    for (let k = 0; k < a.length; k++) {
      const { x, y } = a[k]!;
      const w = p[6]! * x + p[7]! * y + 1;
      const X = (p[0]! * x + p[1]! * y + p[2]!) / w;
      const Y = (p[3]! * x + p[4]! * y + p[5]!) / w;
      const jx = [x / w, y / w, 1 / w, 0, 0, 0, (-x * X) / w, (-y * X) / w];
      const jy = [0, 0, 0, x / w, y / w, 1 / w, (-x * Y) / w, (-y * Y) / w];
      const rx = X - b[k]!.x;
      const ry = Y - b[k]!.y;
      for (let i = 0; i < 8; i++) {
        jtr[i] = jtr[i]! + jx[i]! * rx + jy[i]! * ry;
        for (let j = i; j < 8; j++) jtj[i]![j] = jtj[i]![j]! + jx[i]! * jx[j]! + jy[i]! * jy[j]!;
      }
    }
    for (let i = 0; i < 8; i++) for (let j = 0; j < i; j++) jtj[i]![j] = jtj[j]![i]!;
    let accepted = false;
    for (let attempt = 0; attempt < 12 && !accepted; attempt++) {
      const damped = jtj.map((row, i) => row.map((v, j) => (i === j ? v * (1 + lambda) + 1e-12 : v)));
      const delta = solveLinearSystem(
        damped,
        jtr.map((v) => -v),
      );
      const candidate = delta ? p.map((v, i) => v + delta[i]!) : null;
      const candidateCost = candidate ? costOf(candidate) : Infinity;
      if (candidate && candidateCost < cost) {
        const improvement = cost - candidateCost;
        p = candidate;
        cost = candidateCost;
        lambda = Math.max(lambda / 10, 1e-12);
        accepted = true;
        if (improvement <= 1e-12 * cost) return [...p, 1];
      } else {
        lambda *= 10;
      }
    }
    if (!accepted) break;
  }
  return [...p, 1];
}

function transferErrorsOf(
  h: Mat3,
  idx: readonly number[],
  frame: readonly Xy[],
  floor: readonly Xy[],
): number[] {
  return idx.map((i) => {
    const { x, y } = frame[i]!;
    const w = h[6] * x + h[7] * y + h[8];
    if (!(Math.abs(w) > 1e-12 * (Math.abs(h[6] * x) + Math.abs(h[7] * y) + Math.abs(h[8])))) return Infinity;
    return Math.hypot(
      (h[0] * x + h[1] * y + h[2]) / w - floor[i]!.x,
      (h[3] * x + h[4] * y + h[5]) / w - floor[i]!.y,
    );
  });
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Every 4-subset of 0…n−1 in lexicographic order. */
function* allQuadruples(n: number): Generator<number[]> {
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++)
      for (let c = b + 1; c < n; c++) for (let d = c + 1; d < n; d++) yield [a, b, c, d];
}

function ransac(
  frame: readonly Xy[],
  floor: readonly Xy[],
  opts: Required<EstimateHomographyOptions>,
): { h: Mat3; inliers: number[] } {
  const n = frame.length;
  const t = opts.inlierThreshold;
  const required = Math.max(4, Math.ceil(opts.minInlierRatio * n));
  const exhaustive = binomial(n, 4) <= opts.maxIterations;
  const random = seededRandom(opts.seed);
  const drawSample = (): number[] => {
    const chosen = new Set<number>();
    while (chosen.size < 4) chosen.add(Math.floor(random() * n));
    return [...chosen].sort((x, y) => x - y);
  };

  let best: { cost: number; inliers: number[] } | null = null;
  let needed = opts.maxIterations;
  const samples = exhaustive ? allQuadruples(n) : null;
  for (let iter = 0; exhaustive || iter < Math.min(needed, opts.maxIterations); iter++) {
    let sample: number[];
    if (samples) {
      const next = samples.next();
      if (next.done) break;
      sample = next.value;
    } else {
      sample = drawSample();
    }
    if (isDegenerateSample(sample, frame, floor, opts.collinearityTolerance)) continue;
    const fit = fitHomography(sample, frame, floor, false, true);
    if (!fit.ok) continue;
    const errors = transferErrorsOf(
      fit.h,
      frame.map((_, i) => i),
      frame,
      floor,
    );
    // MSAC: inliers cost their squared error, outliers a constant t², so ties on the count are
    // broken by how well the inliers fit.
    let cost = 0;
    const inliers: number[] = [];
    errors.forEach((e, i) => {
      cost += Math.min(e * e, t * t);
      if (e <= t) inliers.push(i);
    });
    if (!best || cost < best.cost) {
      best = { cost, inliers };
      const ratio = inliers.length / n;
      needed =
        ratio >= 1 ? 0 : Math.ceil(Math.log(1 - opts.confidence) / Math.log(Math.max(1e-12, 1 - ratio ** 4)));
    }
  }
  if (!best)
    throw new HomographyError(
      "collinear",
      "no four points are in general position (every 4-subset has three collinear points): spread the points out",
    );
  if (best.inliers.length < required) throw noConsensus(best.inliers.length, n, required);

  // Refit on the consensus set until it stops changing; the final fit uses exactly `inliers`.
  let inliers = best.inliers;
  let result: { h: Mat3; inliers: number[] } | null = null;
  for (let round = 0; round < 10; round++) {
    const fit = fitHomography(inliers, frame, floor, opts.refine);
    if (!fit.ok) {
      if (result) break;
      throw illConditioned(fit.reason);
    }
    result = { h: fit.h, inliers };
    const errors = transferErrorsOf(
      fit.h,
      frame.map((_, i) => i),
      frame,
      floor,
    );
    const next = errors.flatMap((e, i) => (e <= t ? [i] : []));
    if (next.length < 4 || (next.length === inliers.length && next.every((v, i) => v === inliers[i]))) break;
    inliers = next;
  }
  if (!result) throw illConditioned("degenerate");
  if (result.inliers.length < required) throw noConsensus(result.inliers.length, n, required);
  return result;
}

function noConsensus(found: number, n: number, required: number): HomographyError {
  return new HomographyError(
    "no_consensus",
    `only ${found} of ${n} point pairs agree on one transform (need ${required}): re-check the clicked points`,
  );
}
