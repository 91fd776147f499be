/**
 * Rates that add up over a patient's conditions (a patient with hypertension and diabetes makes the
 * visits of both), fitted jointly over all patients: non-negative weighted least squares of each
 * patient's count on their conditions' exposures (Lawson–Hanson, nnls.ts), with sandwich
 * (heteroscedasticity-robust, patients as units) standard errors. docs/replay.md, "Calibrate".
 */
import type { Estimate } from './estimate.ts';
import { nnlsNormal, solve } from './nnls.ts';

/** One unit (patient): their exposure to each condition's rate, their count and weight (1 ÷ variance scale). */
export interface RateRow {
  x: ArrayLike<number>;
  count: number;
  weight: number;
}

/**
 * The rates β ≥ 0 minimizing Σ w (count − x·β)². A condition no row is exposed to: null (nothing to
 * fit). Standard errors: (XᵀWX)⁻¹ (Σ w² r² x xᵀ) (XᵀWX)⁻¹ × n/(n − k) over the positive rates; a rate
 * held at 0 gets the one-parameter sandwich √(Σ w² r² x²) ÷ Σ w x².
 */
export function additiveRates(rows: RateRow[], K: number): (Estimate | null)[] {
  const G = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const h = new Array<number>(K).fill(0);
  const units = new Array<number>(K).fill(0);
  for (const r of rows) {
    if (!(r.weight > 0)) continue;
    for (let a = 0; a < K; a++) {
      const xa = r.x[a];
      if (xa === 0) continue;
      units[a]++;
      h[a] += r.weight * xa * r.count;
      for (let b = 0; b < K; b++) G[a][b] += r.weight * xa * r.x[b];
    }
  }
  const { x: beta, passive } = nnlsNormal(G, h);
  const P = [...passive.keys()].filter((j) => passive[j]);
  const meat = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let n = 0;
  for (const r of rows) {
    if (!(r.weight > 0)) continue;
    let fit = 0;
    let any = false;
    for (let a = 0; a < K; a++) {
      fit += r.x[a] * beta[a];
      if (r.x[a] !== 0) any = true;
    }
    if (!any) continue;
    n++;
    const e2 = (r.weight * (r.count - fit)) ** 2;
    for (let a = 0; a < K; a++) {
      if (r.x[a] === 0) continue;
      for (let b = 0; b < K; b++) meat[a][b] += e2 * r.x[a] * r.x[b];
    }
  }
  const se = new Array<number>(K).fill(0);
  if (P.length > 0) {
    const correction = n > P.length ? n / (n - P.length) : 1;
    // Bread = G_PP⁻¹ column by column; Cov = Bread · Meat_PP · Bread.
    const GP = P.map((i) => P.map((j) => G[i][j]));
    const inv = P.map((_, c) => solve(GP, P.map((__, r) => (r === c ? 1 : 0))));
    // inv[c] is column c of the inverse (symmetric).
    P.forEach((j, a) => {
      let v = 0;
      P.forEach((k, b) => P.forEach((l, c) => (v += inv[a][b] * meat[k][l] * inv[a][c])));
      se[j] = Math.sqrt(Math.max(0, v * correction));
    });
  }
  return beta.map((b, j) => {
    if (units[j] === 0 || !(G[j][j] > 0)) return null;
    if (!passive[j]) return { value: 0, se: Math.sqrt(meat[j][j]) / G[j][j], n: units[j] };
    return { value: b, se: se[j], n: units[j] };
  });
}

/**
 * Rates per condition from counts by condition combination (mask): each combination's exposure to
 * each of its conditions is its exposure, weights 1 ÷ exposure (Poisson counts). A condition
 * without exposure: 0.
 */
export function ratesByCondition(groups: { mask: number; exposure: number; count: number }[], K: number): number[] {
  const rows = groups
    .filter((g) => g.exposure > 0)
    .map((g) => ({ x: Array.from({ length: K }, (_, k) => ((g.mask >> k) & 1 ? g.exposure : 0)), count: g.count, weight: 1 / g.exposure }));
  return additiveRates(rows, K).map((e) => e?.value ?? 0);
}
