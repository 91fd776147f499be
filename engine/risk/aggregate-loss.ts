/**
 * The collective risk model: the distribution of the aggregate loss S = X₁ + … + X_N, N claims
 * (Poisson or negative binomial) of independent sizes X (gamma or lognormal), as R actuar's
 * aggregateDist. Two methods:
 *
 * - `recursive` (default): Panjer's recursion (panjer.ts) on the severity discretized by the
 *   **unbiased** method (discretize.ts: the mean is kept exactly; each claim's second moment grows
 *   by at most h²/4). Step h = `options.step`, by default the larger of √E[X²]/20 (resolves the
 *   severity: at most 1/1600 added to E[X²]) and √(Var S / (1000·E[N])) (no finer than a wide
 *   aggregate needs: the extra variance E[N]·h²/4 stays below 1/4000 of Var S).
 *   Large claim numbers (a region's millions of claims a year) need two things. P(N = 0) underflows
 *   (e^{−λ} for λ > 745): the recursion is then started in log space (panjer.ts). And the grid from
 *   0 to the total can be too long (above 2^21 points, or ~5e7 multiply-adds; 1e9 for a step the
 *   caller gave): then, as actuar's
 *   `convolve` argument, the recursion is run for 2^−k of the claims (Poisson λ/2^k, or
 *   NB(size/2^k, prob)), k the smallest with at most 16 claims expected, and its result convolved
 *   with itself k times (self-convolve.ts) — exact, both families being infinitely divisible. After
 *   each convolution the tails holding less than 1e-14 of probability are cut off (the lower cut is
 *   kept as a mass below the grid) and, while the grid is longer than 8,192 points, its step is
 *   doubled (a point between two coarse points split half and half, which keeps the mean). Where
 *   neither fits (a very overdispersed NB, whose 2^−k fraction still reaches ~32/prob claims), the
 *   recursion runs over the whole grid at the finest step that fits: used for the default step
 *   (`grid.severityStep` says which), refused for a given `options.step` with the step to use.
 * - `normalPower`: the NP2 approximation from the exact mean, sd and skewness (normal-power.ts).
 *
 * `mean`, `sd` and `skewness` are the model's exact moments (not the grid's). On the grid, cdf(x) is
 * the step function P(S ≤ x), quantile(p) the smallest grid point with cdf ≥ p (within one step of
 * the exact quantile) and tvar(p) the expected shortfall VaR_p + E[(S − VaR_p)₊]/(1 − p) with
 * E[(S − v)₊] = E[S] − E[min(S, v)] (exact mean minus the grid's limited mean, so the probability
 * beyond the grid still counts); for a continuous S it is E[S | S ≥ VaR_p].
 *
 * Reference: Klugman, Panjer & Willmot, "Loss Models" (4th ed., 2012), §9.3 (moments of compound
 * distributions), §9.6 (Panjer recursion, discretization); Dutang, Goulet & Pigeon, "actuar",
 * J. Statistical Software 25(7), 2008; C. Acerbi & D. Tasche, "On the coherence of expected
 * shortfall", J. Banking & Finance 26(7), 2002 (TVaR of a discrete distribution). docs/risk.md
 * ("The collective risk model").
 * @example
 * const s = aggregateLoss({ poisson: 10 }, { gamma: { shape: 2, scale: 500 } });
 * s.mean; // 10000
 * s.quantile(0.99); // 20392.0… (a grid point, step 61.2: within a few steps of the exact 20,3xx)
 */
import { badArgument, positive } from './argument-error.ts';
import { discretizeUnbiased } from './discretize.ts';
import { checkFrequency, frequencyCumulants, frequencyFraction, type Frequency, type FrequencySpec } from './frequency.ts';
import { normalPower } from './normal-power.ts';
import { panjer } from './panjer.ts';
import { selfConvolve } from './self-convolve.ts';
import { checkSeverity, severityMoment, severityUpperPoint, type Severity, type SeveritySpec } from './severity.ts';

export type { FrequencySpec } from './frequency.ts';
export type { SeveritySpec } from './severity.ts';

export interface AggregateLossOptions {
  /** Discretization step of the severity (same unit as the severity); default √E[X²] / 20. */
  step?: number;
  method?: 'recursive' | 'normalPower';
}

export interface AggregateLoss {
  method: 'recursive' | 'normalPower';
  /** Exact moments of S. */
  mean: number;
  sd: number;
  skewness: number;
  /** P(S ≤ x). */
  cdf(x: number): number;
  /** VaR_p: the p-quantile, 0 < p < 1. */
  quantile(p: number): number;
  /** TVaR_p (expected shortfall), 0 < p < 1. */
  tvar(p: number): number;
  /**
   * recursive: the grid's final step, the severity's step (`options.step`, or coarser where the grid
   * would be too long), its discretization, the self-convolutions, the points kept, the probability
   * beyond the grid's top, and the mean and sd of the distribution on the grid (compare with the
   * exact `mean`, `sd`: the discretization's effect).
   */
  grid?: { step: number; severityStep: number; discretization: 'unbiased'; convolutions: number; points: number; massAbove: number; mean: number; sd: number };
}

const FN = 'aggregateLoss';
/** Claims expected in the recursion's fraction of the claims (see above). */
const CLAIMS_PER_RECURSION = 16;
const MAX_WINDOW = 8192;
const MAX_SEVERITY_POINTS = 1 << 14;
const MAX_RECURSION_POINTS = 1 << 15;
const MAX_DIRECT_POINTS = 1 << 21;
/** Multiply-adds allowed for one recursion over the whole grid (≈ 0.1 s). */
const MAX_DIRECT_WORK = 5e7;
/** The same for a step given in `options.step` (≈ 1–2 s). */
const MAX_GIVEN_STEP_WORK = 1e9;
const TRIM = 1e-14;

function checkOptions(options: unknown): { step?: number; method: 'recursive' | 'normalPower' } {
  if (options === undefined) return { method: 'recursive' };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw badArgument(FN, 'options', 'must be an object { step?, method? }', options);
  const o = options as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => k !== 'step' && k !== 'method');
  if (unknown.length) throw badArgument(FN, `options.${unknown[0]}`, 'is not an option (step, method)', o[unknown[0]]);
  const method = o.method ?? 'recursive';
  if (method !== 'recursive' && method !== 'normalPower') throw badArgument(FN, 'options.method', 'must be "recursive" or "normalPower"', method);
  return { step: o.step === undefined ? undefined : positive(FN, 'options.step', o.step), method };
}

function checkP(fn: string, p: unknown): number {
  if (typeof p !== 'number' || !(p > 0 && p < 1)) throw badArgument(fn, 'p', 'must be a probability strictly between 0 and 1', p);
  return p;
}

export function aggregateLoss(frequency: FrequencySpec, severity: SeveritySpec, options?: AggregateLossOptions): AggregateLoss {
  const n = checkFrequency(frequency);
  const x = checkSeverity(severity);
  const opt = checkOptions(options);
  const [m1, m2, m3] = [1, 2, 3].map((k) => severityMoment(x, k));
  const [en, vn, k3n] = frequencyCumulants(n);
  const varX = m2 - m1 * m1;
  const mu3X = m3 - 3 * m1 * m2 + 2 * m1 ** 3;
  const mean = en * m1;
  const variance = en * varX + vn * m1 * m1;
  const kappa3 = en * mu3X + 3 * vn * m1 * varX + k3n * m1 ** 3;
  const sd = Math.sqrt(variance);
  const skewness = kappa3 / variance ** 1.5;
  if (!Number.isFinite(mean) || !Number.isFinite(sd) || !Number.isFinite(skewness)) {
    throw badArgument(FN, 'severity', 'has moments too large to represent (E[X³] overflows); rescale the amounts', severity);
  }
  if (opt.method === 'normalPower') {
    const np = normalPower(mean, sd, skewness);
    return {
      method: 'normalPower',
      mean,
      sd,
      skewness,
      cdf: (v) => np.cdf(checkX(v)),
      quantile: (p) => np.quantile(checkP(`${FN}(…).quantile`, p)),
      tvar: (p) => np.tvar(checkP(`${FN}(…).tvar`, p)),
    };
  }
  // Default step: resolve the severity (√E[X²]/20) but no finer than the aggregate needs (the
  // unbiased method's extra variance, ≤ E[N]·h²/4, then stays below 1/4000 of Var S).
  const step = opt.step ?? Math.max(Math.sqrt(m2) / 20, Math.sqrt(variance / (1000 * en)));
  return recursive(n, x, step, opt.step !== undefined, { mean, sd, skewness }, en);
}

function checkX(v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw badArgument(`${FN}(…).cdf`, 'x', 'must be a number', v);
  return v;
}

function recursive(n: Frequency, x: Severity, step: number, userStep: boolean, m: { mean: number; sd: number; skewness: number }, en: number): AggregateLoss {
  // The severity's grid reaches where P(X > x) ≤ min(1e-10, 1e-8/E[N]): the claims beyond it
  // (probability ≤ 1e-8 in all) are missing from the grid (grid.massAbove).
  const top = severityUpperPoint(x, Math.max(1e-300, Math.min(1e-10, 1e-8 / Math.max(1, en))));
  const span = m.mean + 10 * m.sd;
  const work = (K: number, Ks: number) => (K <= Ks ? (K * K) / 2 : K * Ks - (Ks * Ks) / 2);
  // A step the caller chose may cost more than the default's budget (seconds rather than 0.1 s).
  const budget = userStep ? MAX_GIVEN_STEP_WORK : MAX_DIRECT_WORK;
  const directFits = (h: number) => {
    const K = span / h + top / h;
    return K <= MAX_DIRECT_POINTS && work(K, top / h) <= budget;
  };
  // The recursion on 2^−k of the claims must reach the far end of that fraction's claim count: for
  // NB(size/2^k, prob) about 32/(−ln(1 − prob)) claims however small the size.
  const k0 = Math.max(0, Math.ceil(Math.log2(en / CLAIMS_PER_RECURSION)));
  const fractionClaims = n.kind === 'poisson' ? CLAIMS_PER_RECURSION : CLAIMS_PER_RECURSION + 32 / -Math.log1p(-n.prob);
  const fractionFits = (fractionClaims * severityMoment(x, 1) + top) / step <= MAX_RECURSION_POINTS;
  let h0 = step;
  let k = 0;
  if (!directFits(step)) {
    if (k0 > 0 && fractionFits) k = k0;
    else {
      // Neither fits at this step: one recursion over the whole grid at the finest step that fits.
      const K = (span + top) / step;
      h0 = Math.max(step * Math.sqrt(work(K, top / step) / budget), (span + top) / MAX_DIRECT_POINTS) * 1.01;
      if (userStep) throw badArgument(FN, 'options.step', `is too fine for this aggregate: the recursion would need about ${Math.ceil(K)} grid points; use a step of at least ${h0.toPrecision(3)} (or leave it out)`, step);
    }
  }
  const severityPoints = Math.max(2, Math.min(MAX_SEVERITY_POINTS, Math.ceil(top / h0) + 2));
  const { f, tail } = discretizeUnbiased(x, h0, severityPoints);
  // A recursion over the whole grid stops where its probabilities are complete (panjer.ts), and at
  // the latest 4 × (mean + 10 sd + the severity's reach): beyond, a missed stop would only cost time.
  const maxPoints = k === 0 ? Math.min(MAX_DIRECT_POINTS, Math.ceil((4 * (span + top)) / h0) + severityPoints) : MAX_RECURSION_POINTS;
  let g = panjer(frequencyFraction(n, k), f, maxPoints, tail);
  let offset = 0; // grid index of g[0]
  let h = h0;
  let below = 0; // probability cut off below the grid
  const trim = () => {
    let lo = 0;
    let acc = 0;
    while (lo < g.length - 1 && acc + g[lo] < TRIM) acc += g[lo++];
    below += acc;
    let hi = g.length - 1;
    acc = 0;
    while (hi > lo && acc + g[hi] < TRIM) acc += g[hi--];
    g = g.slice(lo, hi + 1);
    offset += lo;
    while (g.length > MAX_WINDOW) {
      // double the step: even points stay, odd points split half and half (keeps the mean)
      const start = offset % 2 === 0 ? 0 : -1;
      const coarse = new Float64Array(Math.floor((g.length - start) / 2) + 1);
      for (let i = 0; i < g.length; i++) {
        const j = i - start;
        if (j % 2 === 0) coarse[j / 2] += g[i];
        else {
          coarse[(j - 1) / 2] += g[i] / 2;
          coarse[(j + 1) / 2] += g[i] / 2;
        }
      }
      g = coarse;
      offset = (offset + start) / 2;
      h *= 2;
    }
  };
  trim();
  for (let c = 0; c < k; c++) {
    g = selfConvolve(g);
    offset *= 2;
    below = 1 - (1 - below) ** 2;
    trim();
  }
  const len = g.length;
  const cum = new Float64Array(len);
  const limited = new Float64Array(len); // Σ_{i' ≤ i} x_{i'} g_{i'}
  let acc = below;
  let acc1 = 0;
  let acc2 = 0;
  for (let i = 0; i < len; i++) {
    const v = (offset + i) * h;
    acc += g[i];
    acc1 += v * g[i];
    acc2 += v * v * g[i];
    cum[i] = acc;
    limited[i] = acc1;
  }
  const gridMass = acc - below;
  const massAbove = Math.max(0, 1 - acc);
  const index = (v: number) => Math.floor(v / h + 1e-9) - offset;
  const cdf = (v: number) => {
    const i = index(checkX(v));
    return i < 0 ? (v < 0 ? 0 : below) : cum[Math.min(i, len - 1)];
  };
  const quantileIndex = (fn: string, p: number) => {
    checkP(fn, p);
    if (p > cum[len - 1]) throw badArgument(fn, 'p', `is beyond what the grid holds (P(S ≤ ${(offset + len - 1) * h}) = ${cum[len - 1]}); use method "normalPower" or a smaller p`, p);
    let lo = 0;
    let hi = len - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] >= p) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  return {
    method: 'recursive',
    ...m,
    cdf,
    quantile: (p) => (offset + quantileIndex(`${FN}(…).quantile`, p)) * h,
    tvar: (p) => {
      const i = quantileIndex(`${FN}(…).tvar`, p);
      const v = (offset + i) * h;
      const limitedMean = limited[i] + v * (1 - cum[i]);
      return v + Math.max(0, m.mean - limitedMean) / (1 - p);
    },
    grid: { step: h, severityStep: h0, discretization: 'unbiased', convolutions: k, points: len, massAbove, mean: acc1 / gridMass, sd: Math.sqrt(Math.max(0, acc2 / gridMass - (acc1 / gridMass) ** 2)) },
  };
}
