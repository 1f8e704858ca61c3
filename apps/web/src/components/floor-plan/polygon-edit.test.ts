import { describe, expect, it } from "vitest";
import type { FloorMPoint } from "@shelf/core";
import {
  appendCorner,
  dropLastCorner,
  moveCorner,
  nudgeCorner,
  removeCorner,
  setCornerAxis,
} from "./polygon-edit.ts";

const square: FloorMPoint[] = [
  { x: 1, y: 1 },
  { x: 3, y: 1 },
  { x: 3, y: 3 },
  { x: 1, y: 3 },
];
const plan = { widthM: 10, heightM: 5 };

describe("polygon edits", () => {
  it("adds and undoes corners in order", () => {
    const p = appendCorner(square, { x: 0.5, y: 2 });
    expect(p).toHaveLength(5);
    expect(p[4]).toEqual({ x: 0.5, y: 2 });
    expect(dropLastCorner(p)).toEqual(square);
    expect(dropLastCorner([])).toEqual([]);
  });

  it("removes one corner and keeps the others' order", () => {
    expect(removeCorner(square, 1)).toEqual([square[0], square[2], square[3]]);
  });

  it("drags a corner and keeps it on the plan", () => {
    expect(moveCorner(square, 2, { x: 4, y: 4 }, plan)[2]).toEqual({ x: 4, y: 4 });
    expect(moveCorner(square, 2, { x: 12, y: -1 }, plan)[2]).toEqual({ x: 10, y: 0 });
    expect(moveCorner(square, 2, { x: 4, y: 4 }, plan)[0]).toBe(square[0]);
  });

  it("nudges a corner by whole centimetres", () => {
    // 0.1 steps would drift (1 + 0.1 + 0.1 + 0.1 = 1.3000000000000003) without rounding.
    let p: FloorMPoint[] = square;
    for (let k = 0; k < 3; k++) p = nudgeCorner(p, 0, { x: 0.1, y: -0.1 });
    expect(p[0]).toEqual({ x: 1.3, y: 0.7 });
    expect(p.slice(1)).toEqual(square.slice(1));
  });

  it("takes a typed coordinate, and ignores one that is not a number", () => {
    expect(setCornerAxis(square, 3, "y", 4.25)[3]).toEqual({ x: 1, y: 4.25 });
    expect(setCornerAxis(square, 3, "x", Number.NaN)).toEqual(square);
  });
});
