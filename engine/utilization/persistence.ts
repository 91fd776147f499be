/**
 * A patient's drug-cost level that persists across years (F8, docs/model.md "Cohort"): for each of
 * its conditions, a stationary Gaussian AR(1) on the log scale, z_t = ρ_t z_{t−1} + √(1 − ρ_t²) ε_t,
 * anchored at the patient's anchor year (the horizon's start, or its year of entry) with z = ε there
 * and run backwards into history years by the same recursion. ε_t are the first normals of the
 * patient-year's own normal sub-stream (the kernel draws them first each year), so a year's level is
 * computed — by re-drawing those few normals of the years between — without simulating the years
 * between: skipping a history year changes no other year's draws.
 */
import { seedSubStream } from '../rng/stream.ts';
import { KN, nextInt32, WN, zigguratSlow } from '../rng/ziggurat.ts';

/** The first `k` normals of patient `p`'s normal sub-stream with key `key` (a year's ε), into `out`. */
export function regimenEpsilons(key: number, p: number, k: number, st: Int32Array, out: Float64Array): void {
  seedSubStream(key, p, st, 0);
  for (let j = 0; j < k; j++) {
    const r = nextInt32(st, 0);
    out[j] = Math.abs(r >> 7) < KN[r & 127] ? (r >> 7) * WN[r & 127] : zigguratSlow(st, 0, r);
  }
}

/**
 * The levels z of simulated year `yi` for `k` conditions, given that year's ε (`eps`), the anchor
 * year `a`, the normal sub-stream keys of every simulated year and the correlations ρ (per year, with
 * √(1 − ρ²) in `rhoC`). `st` (4 words) and `tmp` (k) are scratch; the levels go to `out`.
 */
export function levelsAt(yi: number, a: number, k: number, eps: Float64Array, keys: ArrayLike<number>, p: number, rho: Float64Array, rhoC: Float64Array, st: Int32Array, tmp: Float64Array, out: Float64Array): void {
  if (yi === a) {
    for (let j = 0; j < k; j++) out[j] = eps[j];
    return;
  }
  regimenEpsilons(keys[a], p, k, st, out);
  if (yi > a) {
    for (let u = a + 1; u < yi; u++) {
      regimenEpsilons(keys[u], p, k, st, tmp);
      for (let j = 0; j < k; j++) out[j] = rho[u] * out[j] + rhoC[u] * tmp[j];
    }
    for (let j = 0; j < k; j++) out[j] = rho[yi] * out[j] + rhoC[yi] * eps[j];
  } else {
    for (let u = a - 1; u > yi; u--) {
      regimenEpsilons(keys[u], p, k, st, tmp);
      for (let j = 0; j < k; j++) out[j] = rho[u + 1] * out[j] + rhoC[u + 1] * tmp[j];
    }
    for (let j = 0; j < k; j++) out[j] = rho[yi + 1] * out[j] + rhoC[yi + 1] * eps[j];
  }
}
