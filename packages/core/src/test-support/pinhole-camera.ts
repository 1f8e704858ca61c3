import type { FloorMPoint, FramePxPoint } from "../coords.ts";

/**
 * A synthetic pinhole camera above the floor, for tests only: it produces exact frame ↔ floor
 * correspondences that any correct homography estimate must reproduce.
 *
 * World: floor plane z = 0 with the floor plan's x, y; z up, metres. The camera sits at
 * (x, y, heightM), yawed by `yawRad` about the vertical and tilted down by `tiltRad` from the
 * horizontal; image x right, y down, principal point at the frame centre.
 */
export interface PinholeCamera {
  readonly x: number;
  readonly y: number;
  readonly heightM: number;
  readonly yawRad: number;
  readonly tiltRad: number;
  readonly focalPx: number;
  readonly width: number;
  readonly height: number;
}

export const SHELF_CAMERA: PinholeCamera = {
  x: 2,
  y: 0,
  heightM: 2.6,
  yawRad: 0.15,
  tiltRad: 0.55,
  focalPx: 1100,
  width: 1920,
  height: 1080,
};

function axes(cam: PinholeCamera) {
  const cy = Math.cos(cam.yawRad);
  const sy = Math.sin(cam.yawRad);
  const ct = Math.cos(cam.tiltRad);
  const st = Math.sin(cam.tiltRad);
  // Forward points along the yawed +y axis, tilted down; right is horizontal; down completes the frame.
  const forward = [-sy * ct, cy * ct, -st];
  const right = [cy, sy, 0];
  const down = [
    forward[1]! * right[2]! - forward[2]! * right[1]!,
    forward[2]! * right[0]! - forward[0]! * right[2]!,
    forward[0]! * right[1]! - forward[1]! * right[0]!,
  ];
  return { forward, right, down };
}

/** Projects a world point (floor x, y and height z in metres) into the frame. */
export function projectWorld(cam: PinholeCamera, x: number, y: number, z: number): FramePxPoint {
  const { forward, right, down } = axes(cam);
  const d = [x - cam.x, y - cam.y, z - cam.heightM];
  const dot = (v: number[]) => v[0]! * d[0]! + v[1]! * d[1]! + v[2]! * d[2]!;
  const depth = dot(forward);
  if (depth <= 0) throw new Error("point is behind the camera");
  return {
    x: cam.width / 2 + (cam.focalPx * dot(right)) / depth,
    y: cam.height / 2 + (cam.focalPx * dot(down)) / depth,
  };
}

/** The floor point under a frame pixel (ray–plane intersection with z = `planeZ`). */
export function unprojectToPlane(cam: PinholeCamera, p: FramePxPoint, planeZ = 0): FloorMPoint {
  const { forward, right, down } = axes(cam);
  const u = (p.x - cam.width / 2) / cam.focalPx;
  const v = (p.y - cam.height / 2) / cam.focalPx;
  const ray = [0, 1, 2].map((i) => forward[i]! + u * right[i]! + v * down[i]!);
  const t = (planeZ - cam.heightM) / ray[2]!;
  if (!(t > 0)) throw new Error("pixel is above the horizon of that plane");
  return { x: cam.x + t * ray[0]!, y: cam.y + t * ray[1]! };
}
