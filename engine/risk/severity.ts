/**
 * The claim-size (severity) distributions of the collective risk model, parameterized as R does
 * (dgamma(shape, scale), dlnorm(meanlog, sdlog)): their validation, raw moments E[Xᵏ], and the two
 * survival functions the unbiased discretization needs (discretize.ts): S(x) = P(X > x) and the
 * survival of the size-biased distribution S₁(x) = E[X; X > x] / E[X] — gamma(shape + 1, scale)
 * for a gamma, lognormal(meanlog + sdlog², sdlog) for a lognormal — each with its complement, so
 * that differences are taken on whichever side is small.
 * Reference: S. A. Klugman, H. H. Panjer & G. E. Willmot, "Loss Models" (4th ed., 2012),
 * Appendix A (moments and limited expected values of the gamma and lognormal).
 * @example severityMoment(checkSeverity({ gamma: { shape: 2, scale: 10 } }), 1) // 20
 */
import { gammaln } from 'simple-statistics';
import { badArgument, positive } from './argument-error.ts';
import { regularizedGamma } from './incomplete-gamma.ts';
import { normalCdf, normalSurvival } from './normal-distribution.ts';

export type SeveritySpec = { gamma: { shape: number; scale: number } } | { lognormal: { meanlog: number; sdlog: number } };

/** A checked severity, in one shape for the functions below. */
export type Severity = { kind: 'gamma'; shape: number; scale: number } | { kind: 'lognormal'; meanlog: number; sdlog: number };

const FN = 'aggregateLoss';

function onlyKey(path: string, spec: unknown, allowed: string[]): string {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw badArgument(FN, path, `must be an object with one of ${allowed.join(', ')}`, spec);
  const keys = Object.keys(spec);
  if (keys.length !== 1 || !allowed.includes(keys[0])) throw badArgument(FN, path, `must have exactly one of ${allowed.join(', ')}`, keys);
  return keys[0];
}

export function checkSeverity(spec: unknown): Severity {
  const k = onlyKey('severity', spec, ['gamma', 'lognormal']);
  const v = (spec as Record<string, Record<string, unknown>>)[k];
  if (v === null || typeof v !== 'object') throw badArgument(FN, `severity.${k}`, 'must be an object', v);
  if (k === 'gamma') return { kind: 'gamma', shape: positive(FN, 'severity.gamma.shape', v.shape), scale: positive(FN, 'severity.gamma.scale', v.scale) };
  const meanlog = v.meanlog;
  if (typeof meanlog !== 'number' || !Number.isFinite(meanlog)) throw badArgument(FN, 'severity.lognormal.meanlog', 'must be a finite number', meanlog);
  return { kind: 'lognormal', meanlog, sdlog: positive(FN, 'severity.lognormal.sdlog', v.sdlog) };
}

/** E[Xᵏ] (k ≥ 1). */
export function severityMoment(s: Severity, k: number): number {
  if (s.kind === 'gamma') return Math.exp(k * Math.log(s.scale) + gammaln(s.shape + k) - gammaln(s.shape));
  return Math.exp(k * s.meanlog + (k * k * s.sdlog * s.sdlog) / 2);
}

/** { s: P(X > x), f: P(X ≤ x) } (order 0) or the same for the size-biased distribution (order 1). */
export function severityTail(s: Severity, x: number, order: 0 | 1): { s: number; f: number } {
  if (x <= 0) return { s: 1, f: 0 };
  if (s.kind === 'gamma') {
    const r = regularizedGamma(s.shape + order, x / s.scale);
    return { s: r.q, f: r.p };
  }
  const z = (Math.log(x) - s.meanlog - order * s.sdlog * s.sdlog) / s.sdlog;
  return { s: normalSurvival(z), f: normalCdf(z) };
}

/** A point beyond which P(X > x) ≤ tail (doubling search; for sizing the grid). */
export function severityUpperPoint(s: Severity, tail: number): number {
  let x = severityMoment(s, 1);
  for (let i = 0; i < 2000 && severityTail(s, x, 0).s > tail; i++) x *= 1.25;
  return x;
}
