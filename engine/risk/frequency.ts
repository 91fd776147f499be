/**
 * The claim-count (frequency) distributions of the collective risk model, parameterized as R does
 * (dpois(lambda), dnbinom(size, prob): mean size·(1 − prob)/prob): validation, the first three
 * cumulants, the probability generating function P(z) = E[z^N], the (a, b, 0) recursion
 * coefficients p_k = (a + b/k) p_{k−1}, and the frequency of a sum of 2^−k as many claims
 * (both are infinitely divisible: Poisson(λ) is 2^k Poisson(λ/2^k), NB(r, p) is 2^k NB(r/2^k, p)),
 * used to start Panjer's recursion where P(N = 0) would underflow (aggregate-loss.ts).
 * Reference: Klugman, Panjer & Willmot, "Loss Models" (4th ed., 2012), §6.5 (the (a, b, 0) class:
 * Poisson a = 0, b = λ; negative binomial a = 1 − p, b = (r − 1)(1 − p)).
 * @example frequencyCumulants(checkFrequency({ poisson: 4 })) // [4, 4, 4]
 */
import { badArgument, positive } from './argument-error.ts';

export type FrequencySpec = { poisson: number } | { negativeBinomial: { size: number; prob: number } };

export type Frequency = { kind: 'poisson'; lambda: number } | { kind: 'negativeBinomial'; size: number; prob: number };

const FN = 'aggregateLoss';

export function checkFrequency(spec: unknown): Frequency {
  const allowed = ['poisson', 'negativeBinomial'];
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw badArgument(FN, 'frequency', `must be an object with one of ${allowed.join(', ')}`, spec);
  const keys = Object.keys(spec);
  if (keys.length !== 1 || !allowed.includes(keys[0])) throw badArgument(FN, 'frequency', `must have exactly one of ${allowed.join(', ')}`, keys);
  if (keys[0] === 'poisson') return { kind: 'poisson', lambda: positive(FN, 'frequency.poisson', (spec as { poisson: unknown }).poisson) };
  const nb = (spec as { negativeBinomial: Record<string, unknown> }).negativeBinomial;
  if (nb === null || typeof nb !== 'object') throw badArgument(FN, 'frequency.negativeBinomial', 'must be an object { size, prob }', nb);
  const size = positive(FN, 'frequency.negativeBinomial.size', nb.size);
  const prob = nb.prob;
  if (typeof prob !== 'number' || !(prob > 0 && prob < 1)) throw badArgument(FN, 'frequency.negativeBinomial.prob', 'must be a number strictly between 0 and 1', prob);
  return { kind: 'negativeBinomial', size, prob };
}

/** [mean, variance, third cumulant] of N. */
export function frequencyCumulants(f: Frequency): [number, number, number] {
  if (f.kind === 'poisson') return [f.lambda, f.lambda, f.lambda];
  const q = 1 - f.prob;
  const p = f.prob;
  return [(f.size * q) / p, (f.size * q) / (p * p), (f.size * q * (1 + q)) / (p * p * p)];
}

/** ln E[z^N] for 0 ≤ z ≤ 1. */
export function frequencyLogPgf(f: Frequency, z: number): number {
  if (f.kind === 'poisson') return f.lambda * (z - 1);
  return f.size * (Math.log(f.prob) - Math.log1p(-(1 - f.prob) * z));
}

/** ln E[(1 − t)^N], accurate for small t (no 1 − t formed): the probability that none of N claims falls in a set of probability t. */
export function frequencyLogPgfComplement(f: Frequency, t: number): number {
  if (f.kind === 'poisson') return -f.lambda * t;
  return -f.size * Math.log1p(((1 - f.prob) * t) / f.prob);
}

/** Panjer's a and b. */
export function frequencyAB(f: Frequency): { a: number; b: number } {
  if (f.kind === 'poisson') return { a: 0, b: f.lambda };
  const q = 1 - f.prob;
  return { a: q, b: (f.size - 1) * q };
}

/** The frequency of 2^−k of the claims (whose 2^k-fold convolution is f). */
export function frequencyFraction(f: Frequency, k: number): Frequency {
  const d = 2 ** k;
  return f.kind === 'poisson' ? { kind: 'poisson', lambda: f.lambda / d } : { kind: 'negativeBinomial', size: f.size / d, prob: f.prob };
}
