/** Result of a minimum-cost assignment. */
export interface Assignment {
  /** `rowToCol[i]` is the column assigned to row i, or −1 when row i is left unassigned (more rows than columns). */
  readonly rowToCol: number[];
  /** Sum of the costs of the assigned pairs. */
  readonly cost: number;
}

/**
 * Minimum-cost assignment of rows to columns (Hungarian / Kuhn–Munkres with potentials, O(n²·m)).
 *
 * Rectangular matrices are allowed: every row is assigned when there are at least as many columns
 * as rows, otherwise every column is. To forbid a pair, give it a large finite cost and discard
 * such pairs afterwards (gating); Infinity is rejected because it breaks the potentials.
 *
 * @param cost - `cost[row][col]`, finite, every row the same length.
 * @throws RangeError on ragged or non-finite input.
 */
export function solveAssignment(cost: readonly (readonly number[])[]): Assignment {
  const rows = cost.length;
  const cols = cost[0]?.length ?? 0;
  for (const row of cost) {
    if (row.length !== cols) throw new RangeError("solveAssignment: every row must have the same length");
    for (const v of row)
      if (!Number.isFinite(v)) throw new RangeError("solveAssignment: costs must be finite");
  }
  if (rows === 0 || cols === 0) return { rowToCol: new Array<number>(rows).fill(-1), cost: 0 };

  // The algorithm below assigns every one of n rows among m ≥ n columns; transpose otherwise.
  const transposed = rows > cols;
  const n = transposed ? cols : rows;
  const m = transposed ? rows : cols;
  const at = transposed ? (i: number, j: number) => cost[j]![i]! : (i: number, j: number) => cost[i]![j]!;

  // 1-based arrays as in the classic formulation; index 0 is a virtual column/row.
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(m + 1).fill(0);
  const p = new Array<number>(m + 1).fill(0);
  const way = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(m + 1).fill(Number.POSITIVE_INFINITY);
    const used = new Array<boolean>(m + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0]!;
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = at(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minv[j] = minv[j]! - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }

  const rowToCol = new Array<number>(rows).fill(-1);
  let total = 0;
  for (let j = 1; j <= m; j++) {
    const i = p[j]!;
    if (i === 0) continue;
    const [r, c] = transposed ? [j - 1, i - 1] : [i - 1, j - 1];
    rowToCol[r] = c;
    total += cost[r]![c]!;
  }
  return { rowToCol, cost: total };
}
