import { describe, expect, it } from "vitest";
import {
  mat3Determinant,
  mat3Inverse,
  mat3Multiply,
  solveLinearSystem,
  symmetricEigen,
  type Mat3,
} from "./linalg.ts";
import { seededRandom } from "./prng.ts";

function randomSymmetric(n: number, next: () => number): number[][] {
  const a = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const v = next() * 20 - 10;
      a[i]![j] = v;
      a[j]![i] = v;
    }
  return a;
}

function multiplyVector(a: readonly (readonly number[])[], x: readonly number[]): number[] {
  return a.map((row) => row.reduce((s, v, j) => s + v * x[j]!, 0));
}

describe("symmetricEigen", () => {
  it("diagonalises a known 2×2 matrix", () => {
    const { values, vectors } = symmetricEigen([
      [2, 1],
      [1, 2],
    ]);
    expect(values[0]).toBeCloseTo(1, 12);
    expect(values[1]).toBeCloseTo(3, 12);
    // Eigenvector of 3 is ±(1,1)/√2.
    expect(Math.abs(vectors[1]![0]!)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[1]![0]! * vectors[1]![1]!).toBeGreaterThan(0);
  });

  it("satisfies A·v = λ·v with orthonormal vectors for random symmetric matrices up to 9×9", () => {
    const next = seededRandom(3);
    for (let n = 1; n <= 9; n++) {
      for (let trial = 0; trial < 20; trial++) {
        const a = randomSymmetric(n, next);
        const { values, vectors } = symmetricEigen(a);
        for (let i = 1; i < n; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
        for (let i = 0; i < n; i++) {
          const av = multiplyVector(a, vectors[i]!);
          for (let k = 0; k < n; k++) expect(av[k]!).toBeCloseTo(values[i]! * vectors[i]![k]!, 9);
          for (let j = 0; j < n; j++) {
            const dot = vectors[i]!.reduce((s, v, k) => s + v * vectors[j]![k]!, 0);
            expect(dot).toBeCloseTo(i === j ? 1 : 0, 12);
          }
        }
        const trace = a.reduce((s, row, i) => s + row[i]!, 0);
        expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 9);
      }
    }
  });

  it("finds an exact null vector of a rank-deficient Gram matrix (the DLT use)", () => {
    // Rows orthogonal to x0 = (1, -2, 3, 0.5): AᵀA has x0 as null vector.
    const x0 = [1, -2, 3, 0.5];
    const next = seededRandom(11);
    const rows: number[][] = [];
    for (let r = 0; r < 3; r++) {
      const v = Array.from({ length: 4 }, () => next() - 0.5);
      const proj = v.reduce((s, x, i) => s + x * x0[i]!, 0) / x0.reduce((s, x) => s + x * x, 0);
      rows.push(v.map((x, i) => x - proj * x0[i]!));
    }
    const ata = [0, 1, 2, 3].map((i) =>
      [0, 1, 2, 3].map((j) => rows.reduce((s, row) => s + row[i]! * row[j]!, 0)),
    );
    const { values, vectors } = symmetricEigen(ata);
    expect(Math.abs(values[0]!)).toBeLessThan(1e-14);
    const norm = Math.hypot(...x0);
    const v0 = vectors[0]!;
    const sign = Math.sign(v0[0]!);
    v0.forEach((x, i) => expect(sign * x).toBeCloseTo(x0[i]! / norm, 10));
  });

  it("handles diagonal, zero and repeated-eigenvalue matrices", () => {
    expect(symmetricEigen([[5]]).values).toEqual([5]);
    expect(
      symmetricEigen([
        [0, 0],
        [0, 0],
      ]).values,
    ).toEqual([0, 0]);
    const { values } = symmetricEigen([
      [2, 0, 0],
      [0, 2, 0],
      [0, 0, -1],
    ]);
    expect(values).toEqual([-1, 2, 2]);
  });

  it("rejects non-square, non-symmetric and non-finite input", () => {
    expect(() => symmetricEigen([])).toThrow(RangeError);
    expect(() => symmetricEigen([[1, 2]])).toThrow(/square/);
    expect(() =>
      symmetricEigen([
        [1, 2],
        [3, 1],
      ]),
    ).toThrow(/symmetric/);
    expect(() =>
      symmetricEigen([
        [1, Number.NaN],
        [Number.NaN, 1],
      ]),
    ).toThrow(/non-finite/);
  });
});

describe("solveLinearSystem", () => {
  it("solves random well-conditioned systems", () => {
    const next = seededRandom(5);
    for (let n = 1; n <= 8; n++) {
      const a = Array.from({ length: n }, (_, i) =>
        Array.from({ length: n }, (_, j) => next() - 0.5 + (i === j ? n : 0)),
      );
      const x = Array.from({ length: n }, () => next() * 10 - 5);
      const b = multiplyVector(a, x);
      const solved = solveLinearSystem(a, b);
      expect(solved).not.toBeNull();
      solved!.forEach((v, i) => expect(v).toBeCloseTo(x[i]!, 10));
    }
  });

  it("needs pivoting for a zero leading entry", () => {
    expect(
      solveLinearSystem(
        [
          [0, 1],
          [1, 0],
        ],
        [2, 3],
      ),
    ).toEqual([3, 2]);
  });

  it("returns null for a singular matrix", () => {
    expect(
      solveLinearSystem(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
      ),
    ).toBeNull();
  });

  it("rejects mismatched or non-finite input", () => {
    expect(() => solveLinearSystem([[1]], [1, 2])).toThrow(RangeError);
    expect(() => solveLinearSystem([[1]], [Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});

describe("3×3 helpers", () => {
  const m: Mat3 = [2, 0, 1, 1, 3, 2, 1, 1, 2];

  it("computes the determinant", () => {
    expect(mat3Determinant(m)).toBeCloseTo(2 * (6 - 2) - 0 + 1 * (1 - 3), 12);
    expect(mat3Determinant([1, 0, 0, 0, 1, 0, 0, 0, 1])).toBe(1);
  });

  it("inverts: m · m⁻¹ = I", () => {
    const inv = mat3Inverse(m);
    expect(inv).not.toBeNull();
    const id = mat3Multiply(m, inv!);
    id.forEach((v, i) => expect(v).toBeCloseTo(i % 4 === 0 ? 1 : 0, 12));
  });

  it("multiplies in the right order", () => {
    const a: Mat3 = [1, 2, 0, 0, 1, 0, 0, 0, 1];
    const b: Mat3 = [1, 0, 0, 3, 1, 0, 0, 0, 1];
    expect(mat3Multiply(a, b)).toEqual([7, 2, 0, 3, 1, 0, 0, 0, 1]);
    expect(mat3Multiply(b, a)).toEqual([1, 2, 0, 3, 7, 0, 0, 0, 1]);
  });

  it("returns null for singular matrices, independent of scale", () => {
    expect(mat3Inverse([1, 2, 3, 2, 4, 6, 0, 0, 1])).toBeNull();
    expect(mat3Inverse([1e-9, 0, 0, 0, 1e-9, 0, 0, 0, 1e-9])).not.toBeNull();
  });
});
