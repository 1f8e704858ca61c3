import type { FloorMPoint, FramePxPoint, Homography } from "./coords.ts";

type Xy = { x: number; y: number };

/** Sutherland–Hodgman: the part of `polygon` where `inside` holds, cutting edges at `cut`. */
function clip(polygon: Xy[], inside: (p: Xy) => boolean, cut: (a: Xy, b: Xy) => Xy): Xy[] {
  const out: Xy[] = [];
  polygon.forEach((p, i) => {
    const q = polygon[(i + 1) % polygon.length]!;
    const pIn = inside(p);
    const qIn = inside(q);
    if (pIn) out.push(p);
    if (pIn !== qIn) out.push(cut(p, q));
  });
  return out;
}

/** Clips a polygon to the half-plane a·x + b·y + c ≥ 0. */
function clipHalfPlane(polygon: Xy[], a: number, b: number, c: number): Xy[] {
  const f = (p: Xy) => a * p.x + b * p.y + c;
  return clip(
    polygon,
    (p) => f(p) >= 0,
    (p, q) => {
      const t = f(p) / (f(p) - f(q));
      return { x: p.x + t * (q.x - p.x), y: p.y + t * (q.y - p.y) };
    },
  );
}

/**
 * The camera's field of view on the floor plan (FloorM): the frame mapped through the floor homography, cut
 * at the horizon (points beyond it are not on the floor) and clipped to the plan. Homographies map lines to
 * lines in front of the camera, so the polygon is exact. `inFront` is any frame point known to see the floor
 * (e.g. a calibration point): it tells which side of the horizon is the floor. Empty when nothing is seen.
 */
export function fieldOfView(
  H: Homography<"FramePx", "FloorM">,
  frame: { width: number; height: number },
  plan: { widthM: number; heightM: number },
  inFront: FramePxPoint,
): FloorMPoint[] {
  const [a, b, c, d, e, f, g, h, i] = H.h;
  const w = (p: Xy) => g * p.x + h * p.y + i;
  const sign = Math.sign(w(inFront)) || 1;
  // Keep a margin before the horizon: points just short of it map absurdly far and are clipped anyway.
  const corners: Xy[] = [
    { x: 0, y: 0 },
    { x: frame.width, y: 0 },
    { x: frame.width, y: frame.height },
    { x: 0, y: frame.height },
  ];
  const scale = Math.max(...corners.map((p) => Math.abs(w(p))), Math.abs(w(inFront)));
  const visible = clipHalfPlane(corners, sign * g, sign * h, sign * i - 1e-3 * scale);
  if (visible.length < 3) return [];
  let floor: Xy[] = visible.map((p) => {
    const ww = w(p);
    return { x: (a * p.x + b * p.y + c) / ww, y: (d * p.x + e * p.y + f) / ww };
  });
  floor = clipHalfPlane(floor, 1, 0, 0);
  floor = clipHalfPlane(floor, -1, 0, plan.widthM);
  floor = clipHalfPlane(floor, 0, 1, 0);
  floor = clipHalfPlane(floor, 0, -1, plan.heightM);
  return floor.length >= 3 ? floor : [];
}

/**
 * A floor point in the frame (FramePx) through the inverse homography, or null when it lies behind the
 * camera (on the far side of the horizon).
 */
export function floorToFrame(
  Hinv: Homography<"FloorM", "FramePx">,
  p: FloorMPoint,
  frontSign: number,
): FramePxPoint | null {
  const [a, b, c, d, e, f, g, h, i] = Hinv.h;
  const w = g * p.x + h * p.y + i;
  if (!(w * frontSign > 1e-9)) return null;
  return { x: (a * p.x + b * p.y + c) / w, y: (d * p.x + e * p.y + f) / w };
}

/**
 * Which side of the inverse homography's horizon is in front of the camera (+1 or -1), taken from a floor
 * point known to be seen (e.g. a calibration point): the `frontSign` of {@link floorToFrame}.
 */
export function frontSign(Hinv: Homography<"FloorM", "FramePx">, seen: FloorMPoint): 1 | -1 {
  const [, , , , , , g, h, i] = Hinv.h;
  return g * seen.x + h * seen.y + i < 0 ? -1 : 1;
}
