import { assertFen } from './fen.ts';

/**
 * Split an integer amount of fen into parts proportional to `weights` by the largest-remainder
 * (Hamilton) method, so the parts always sum exactly to `total`.
 *
 * Each part first gets floor(total × w / Σw); the fen left over go, one each, to the parts with the
 * largest fractional remainders (ties to the lower index, so the result is deterministic).
 * A negative total is split as the negation of the split of its absolute value.
 *
 * Reference: M. Balinski & H. P. Young, "Fair Representation" (2nd ed., 2001), Hamilton's method.
 *
 * @example largestRemainderSplit(100, [1, 1, 1]) // [34, 33, 33]
 * @example largestRemainderSplit(120_000_000, [0.4, 0.3, 0.3]) // [48_000_000, 36_000_000, 36_000_000]
 */
export function largestRemainderSplit(total: number, weights: ArrayLike<number>): number[] {
  assertFen(total, 'amount to split');
  const n = weights.length;
  if (n === 0) {
    if (total !== 0) throw new RangeError('cannot split a non-zero amount into zero parts');
    return [];
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`split weight ${i} must be a finite number ≥ 0, got ${w}`);
    sum += w;
  }
  if (sum === 0) {
    if (total !== 0) throw new RangeError('cannot split a non-zero amount when every weight is 0');
    return new Array<number>(n).fill(0);
  }
  if (total < 0) return largestRemainderSplit(-total, weights).map((x) => (x === 0 ? 0 : -x));
  return _splitCore(total, weights, sum);
}

/** The computation without checks: total ≥ 0 integer, weights ≥ 0 with positive sum. */
export function _splitCore(total: number, weights: ArrayLike<number>, sum: number): number[] {
  const n = weights.length;
  const parts = new Array<number>(n);
  const rema = new Float64Array(n);
  let given = 0;
  for (let i = 0; i < n; i++) {
    const exact = (total * weights[i]) / sum;
    const fl = Math.floor(exact);
    parts[i] = fl;
    rema[i] = exact - fl;
    given += fl;
  }
  let left = total - given;
  if (left > 0) {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => rema[b] - rema[a] || a - b);
    // `left` < n always holds mathematically; the modulo guards against floating-point edge cases.
    for (let k = 0; left > 0; k = (k + 1) % n, left--) parts[order[k]]++;
  } else if (left < 0) {
    // Only reachable through floating-point rounding of huge totals: take fen back from the largest parts.
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => parts[b] - parts[a] || a - b);
    for (let k = 0; left < 0; k = (k + 1) % n, left++) parts[order[k]]--;
  }
  return parts;
}
