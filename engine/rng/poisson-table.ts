/**
 * Poisson(λ) by inversion against integer thresholds, for hot loops that draw many small counts with
 * a few distinct rates (Devroye, "Non-Uniform Random Variate Generation", 1986, §X.3: inversion by
 * sequential search; here the first K steps are precomputed).
 *
 * With q the top 31 bits of a 32-bit uniform output and u = (q + ½)/2³¹, the count is the smallest
 * k with u ≤ F(k) (F the CDF). N ≥ j + 1 ⟺ u > F(j) ⟺ q ≥ T[j] with T[j] = ⌊F(j)·2³¹ − ½⌋ + 1, so
 * N = #{j < K : q ≥ T[j]} — K = 4 integer compares summed as (T[j] − q − 1) >> 31, with no
 * data-dependent branch — and the search goes on past K − 1 only when q ≥ T[K − 1]
 * ({@link poissonTail}, which searches from 0; probability 1 − F(3): 0.2% at λ = 0.5, 1.9% at λ = 1). The same u gives the same
 * count as sequential inversion in floating point: exact, not an approximation.
 */

/** Thresholds per rate. */
export const POISSON_K = 4;
/** Doubles per rate in the tail table: λ and e^(−λ). */
export const POISSON_TAIL = 2;

/**
 * Write λ's thresholds to `T[o..o+K−1]` and its tail parameters to `tail[to..to+1]`.
 * @example const T = new Int32Array(4), tail = new Float64Array(2); poissonThresholds(0.5, T, 0, tail, 0);
 */
export function poissonThresholds(lambda: number, T: Int32Array, o: number, tail: Float64Array, to: number): void {
  // e^(−λ) underflows past ~745; the scenario schema bounds the kernel's monthly rates far below.
  if (!(lambda >= 0 && lambda <= 700)) throw new RangeError(`Poisson rate must lie in [0, 700], got ${lambda}`);
  let p = Math.exp(-lambda);
  let F = p;
  for (let j = 0; j < POISSON_K; j++) {
    if (j > 0) {
      p *= lambda / j;
      F += p;
    }
    // Where F(j) is within 2^-32 of 1 the threshold would be 2³¹, past int32: clamped to 2³¹ − 1, it
    // sends q = 2³¹ − 1 to the tail, whose search starts from 0 and so still gives the exact count.
    T[o + j] = Math.min(2 ** 31 - 1, Math.floor(F * 2 ** 31 - 0.5) + 1);
  }
  tail[to] = lambda;
  tail[to + 1] = Math.exp(-lambda);
}

/**
 * The count for q ≥ T[K − 1] (rare): sequential inversion of u = (q + ½)/2³¹ from 0, with the rate's
 * tail parameters at `tail[to]`.
 */
export function poissonTail(q: number, tail: Float64Array, to: number): number {
  const u = (q + 0.5) * 2 ** -31;
  const lambda = tail[to];
  let p = tail[to + 1];
  let F = p;
  let k = 0;
  while (u > F && k < 1000) {
    k++;
    p *= lambda / k;
    F += p;
  }
  return k;
}
