/**
 * Small dense linear algebra for geometry (homography estimation): matrices of at most ~10×10, so
 * plain O(n³) algorithms chosen for numerical robustness rather than speed. Matrices are arrays of
 * rows. Nothing here allocates more than a copy of its input.
 */

/** A row-major 3×3 matrix. */
export type Mat3 = readonly [number, number, number, number, number, number, number, number, number];

/** Eigen-decomposition of a real symmetric matrix. */
export interface SymmetricEigen {
  /** Eigenvalues, ascending. */
  readonly values: number[];
  /** `vectors[i]` is the unit eigenvector of `values[i]`. */
  readonly vectors: number[][];
}

function assertSquareFinite(a: readonly (readonly number[])[], what: string): number {
  const n = a.length;
  if (n === 0) throw new RangeError(`${what}: matrix is empty`);
  for (const row of a) {
    if (row.length !== n)
      throw new RangeError(`${what}: matrix must be square, got a row of ${row.length} in ${n}×?`);
    for (const v of row)
      if (!Number.isFinite(v)) throw new RangeError(`${what}: matrix has a non-finite entry`);
  }
  return n;
}

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method.
 *
 * Jacobi is slower than QR-based solvers but unconditionally convergent and accurate to working
 * precision even for tiny eigenvalues, which is exactly what a DLT null-space needs.
 *
 * @param a - symmetric n×n matrix (checked to a relative tolerance of 1e-9; the upper triangle is used).
 * @param maxSweeps - sweeps over all off-diagonal pairs before giving up; default 100 (typically < 10 are needed).
 * @throws RangeError if `a` is not square, not finite, not symmetric, or does not converge.
 */
export function symmetricEigen(a: readonly (readonly number[])[], maxSweeps = 100): SymmetricEigen {
  const n = assertSquareFinite(a, "symmetricEigen");
  const m = a.map((row) => [...row]);
  let scale = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scale = Math.max(scale, Math.abs(m[i]![j]!));
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      if (Math.abs(m[i]![j]! - m[j]![i]!) > 1e-9 * Math.max(scale, Number.MIN_VALUE))
        throw new RangeError("symmetricEigen: matrix is not symmetric");
  // Mirror the upper triangle so both halves hold the same numbers bit for bit.
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) m[j]![i] = m[i]![j]!;

  const v: number[][] = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  );
  let converged = scale === 0;
  for (let sweep = 0; sweep < maxSweeps && !converged; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += m[i]![i]! ** 2;
      for (let j = i + 1; j < n; j++) off += m[i]![j]! ** 2;
    }
    if (off <= Number.EPSILON ** 2 * diag || off === 0) {
      converged = true;
      break;
    }
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p]![q]!;
        if (apq === 0) continue;
        const app = m[p]![p]!;
        const aqq = m[q]![q]!;
        // An entry below the precision of both diagonal entries it couples can no longer change them:
        // zero it instead of rotating (Numerical Recipes' test), which guarantees termination.
        const g = 100 * Math.abs(apq);
        if (sweep > 3 && Math.abs(app) + g === Math.abs(app) && Math.abs(aqq) + g === Math.abs(aqq)) {
          m[p]![q] = m[q]![p] = 0;
          continue;
        }
        // Rotation angle that zeroes a[p][q] (Numerical Recipes §11.1); the small root keeps |t| ≤ 1.
        const theta = (aqq - app) / (2 * apq);
        const t =
          Math.abs(theta) > 1e150
            ? 1 / (2 * theta)
            : Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          if (k === p || k === q) continue;
          const akp = m[k]![p]!;
          const akq = m[k]![q]!;
          m[k]![p] = m[p]![k] = c * akp - s * akq;
          m[k]![q] = m[q]![k] = s * akp + c * akq;
        }
        m[p]![p] = app - t * apq;
        m[q]![q] = aqq + t * apq;
        m[p]![q] = m[q]![p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  if (!converged) throw new RangeError(`symmetricEigen: no convergence after ${maxSweeps} sweeps`);

  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[i]![i]! - m[j]![j]!);
  return {
    values: order.map((i) => m[i]![i]!),
    vectors: order.map((col) => v.map((row) => row[col]!)),
  };
}

/**
 * Solves `a · x = b` by Gaussian elimination with partial pivoting.
 *
 * @returns the solution, or `null` when `a` is singular to working precision (a pivot below
 *   1e-13 × the largest entry of `a`).
 * @throws RangeError on shape mismatch or non-finite input.
 */
export function solveLinearSystem(a: readonly (readonly number[])[], b: readonly number[]): number[] | null {
  const n = assertSquareFinite(a, "solveLinearSystem");
  if (b.length !== n) throw new RangeError(`solveLinearSystem: b has ${b.length} entries, expected ${n}`);
  if (!b.every(Number.isFinite)) throw new RangeError("solveLinearSystem: b has a non-finite entry");
  const m = a.map((row, i) => [...row, b[i]!]);
  let scale = 0;
  for (const row of a) for (const x of row) scale = Math.max(scale, Math.abs(x));
  const tiny = 1e-13 * scale;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (!(Math.abs(m[pivot]![col]!) > tiny)) return null;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const pr = m[col]!;
    for (let r = col + 1; r < n; r++) {
      const row = m[r]!;
      const f = row[col]! / pr[col]!;
      if (f === 0) continue;
      for (let k = col; k <= n; k++) row[k] = row[k]! - f * pr[k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r]!;
    let acc = row[n]!;
    for (let k = r + 1; k < n; k++) acc -= row[k]! * x[k]!;
    x[r] = acc / row[r]!;
  }
  return x;
}

/** `a · b` for 3×3 matrices. */
export function mat3Multiply(a: Mat3, b: Mat3): Mat3 {
  const r = new Array<number>(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      r[3 * i + j] = a[3 * i]! * b[j]! + a[3 * i + 1]! * b[3 + j]! + a[3 * i + 2]! * b[6 + j]!;
  return r as unknown as Mat3;
}

/** Determinant of a 3×3 matrix. */
export function mat3Determinant(m: Mat3): number {
  const [a, b, c, d, e, f, g, h, i] = m;
  return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
}

/**
 * Inverse of a 3×3 matrix via the adjugate.
 *
 * @returns the inverse, or `null` when `|det| ≤ 1e-12 × ‖m‖³` (singular to working precision, scale-free).
 */
export function mat3Inverse(m: Mat3): Mat3 | null {
  const [a, b, c, d, e, f, g, h, i] = m;
  const det = mat3Determinant(m);
  const norm = Math.sqrt(m.reduce((s, x) => s + x * x, 0));
  if (!Number.isFinite(det) || Math.abs(det) <= 1e-12 * norm ** 3) return null;
  const adj = [
    e * i - f * h,
    c * h - b * i,
    b * f - c * e,
    f * g - d * i,
    a * i - c * g,
    c * d - a * f,
    d * h - e * g,
    b * g - a * h,
    a * e - b * d,
  ];
  return adj.map((x) => x / det) as unknown as Mat3;
}
