/**
 * A bad argument to one of the risk functions a user calls through the public API (aggregateLoss,
 * its cdf/quantile/tvar): a FundcastError naming the function, the argument's path and the rule.
 * @example badArgument('aggregateLoss', 'frequency.poisson', 'must be a finite number > 0', -1)
 */
import { FundcastError } from '../errors.ts';

export function badArgument(fn: string, path: string, rule: string, got: unknown): FundcastError {
  const shown = typeof got === 'number' || typeof got === 'boolean' || got === undefined || got === null ? String(got) : JSON.stringify(got);
  return new FundcastError('ERR_ARGUMENT', `${fn}: ${path} ${rule} (got ${shown})`);
}

/** The value if it is a finite number above `min` (or at least `min` when `orEqual`), else a bad-argument error. */
export function positive(fn: string, path: string, v: unknown, min = 0, orEqual = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (orEqual ? v < min : v <= min)) throw badArgument(fn, path, `must be a finite number ${orEqual ? '≥' : '>'} ${min}`, v);
  return v;
}
