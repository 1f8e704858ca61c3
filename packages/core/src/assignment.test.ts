import { describe, expect, it } from "vitest";
import { solveAssignment } from "./assignment.ts";
import { seededRandom } from "./prng.ts";

/** Exhaustive minimum over all injective maps of the smaller side into the larger. */
function bruteForceCost(cost: number[][]): number {
  const rows = cost.length;
  const cols = cost[0]!.length;
  const k = Math.min(rows, cols);
  let best = Number.POSITIVE_INFINITY;
  const usedCols = new Array<boolean>(cols).fill(false);
  const usedRows = new Array<boolean>(rows).fill(false);
  const recurse = (assigned: number, acc: number, startRow: number) => {
    if (assigned === k) {
      best = Math.min(best, acc);
      return;
    }
    for (let r = startRow; r < rows; r++) {
      if (usedRows[r]) continue;
      usedRows[r] = true;
      for (let c = 0; c < cols; c++) {
        if (usedCols[c]) continue;
        usedCols[c] = true;
        recurse(assigned + 1, acc + cost[r]![c]!, r + 1);
        usedCols[c] = false;
      }
      usedRows[r] = false;
    }
  };
  recurse(0, 0, 0);
  return best;
}

function checkValid(rowToCol: number[], rows: number, cols: number): void {
  const assigned = rowToCol.filter((c) => c >= 0);
  expect(assigned.length).toBe(Math.min(rows, cols));
  expect(new Set(assigned).size).toBe(assigned.length);
  for (const c of assigned) expect(c).toBeLessThan(cols);
}

describe("solveAssignment", () => {
  it("solves a textbook 3×3 case", () => {
    const cost = [
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ];
    const { rowToCol, cost: total } = solveAssignment(cost);
    expect(rowToCol).toEqual([1, 0, 2]);
    expect(total).toBe(5);
  });

  it("beats greedy where greedy is wrong", () => {
    // Greedy takes (0,0)=1 and is then forced into (1,1)=100; optimal is 2 + 3.
    const { rowToCol, cost } = solveAssignment([
      [1, 2],
      [3, 100],
    ]);
    expect(rowToCol).toEqual([1, 0]);
    expect(cost).toBe(5);
  });

  it("matches brute force on random square and rectangular matrices", () => {
    const next = seededRandom(99);
    for (let trial = 0; trial < 300; trial++) {
      const rows = 1 + Math.floor(next() * 6);
      const cols = 1 + Math.floor(next() * 6);
      const cost = Array.from({ length: rows }, () =>
        Array.from({ length: cols }, () => (next() < 0.2 ? 1e6 : Math.round(next() * 100) / 10)),
      );
      const result = solveAssignment(cost);
      checkValid(result.rowToCol, rows, cols);
      expect(result.cost).toBeCloseTo(bruteForceCost(cost), 9);
      const recomputed = result.rowToCol.reduce((s, c, r) => (c >= 0 ? s + cost[r]![c]! : s), 0);
      expect(result.cost).toBeCloseTo(recomputed, 9);
    }
  });

  it("leaves extra rows unassigned when there are more rows than columns", () => {
    const { rowToCol } = solveAssignment([[5], [1], [3]]);
    expect(rowToCol).toEqual([-1, 0, -1]);
  });

  it("handles negative costs (maximisation via negation)", () => {
    const { rowToCol } = solveAssignment([
      [-0.9, -0.1],
      [-0.8, -0.7],
    ]);
    expect(rowToCol).toEqual([0, 1]);
  });

  it("handles empty input", () => {
    expect(solveAssignment([])).toEqual({ rowToCol: [], cost: 0 });
    expect(solveAssignment([[], []])).toEqual({ rowToCol: [-1, -1], cost: 0 });
  });

  it("rejects ragged and non-finite matrices", () => {
    expect(() => solveAssignment([[1, 2], [3]])).toThrow(RangeError);
    expect(() => solveAssignment([[Number.POSITIVE_INFINITY]])).toThrow(RangeError);
  });
});
