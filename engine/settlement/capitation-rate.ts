/**
 * The capitation per-capita amount (F3 of docs/payment-models.md): the yearly amount paid per enrolled head,
 * derived from the resident fund's payments for the pilot population over the prior years.
 */
import { roundHalfUp } from '../money/fen.ts';

/** One prior year of the pilot population: what the resident fund paid, and for how many enrollees. */
export interface CapitationHistoryYear {
  /** Resident-fund payments for the pilot conditions that year, integer fen (≥ 0). */
  fundPaidFen: number;
  /** Enrollees of the pilot population that year (> 0; may be fractional person-years). */
  enrollees: number;
}

/**
 * Per-capita capitation amount, F3: `c = mean over the prior years of (fundPaid ÷ enrollees) × trend`,
 * rounded to the fen (half away from zero).
 *
 * The mean is the plain (unweighted) mean of the yearly per-head amounts, as F3 states; it is not the
 * pooled ratio Σ fundPaid ÷ Σ enrollees (the two differ when the enrollment changes between years).
 * The order of the years does not matter. Wuhu uses the last three years; any number ≥ 1 is accepted.
 *
 * Reference: docs/payment-models.md F3; 芜医保〔2025〕17号 二(四)9 ("以区域内近三年该病种确定的试点人群城乡居民基本医保支付总额
 * 计算年度人均支付额").
 *
 * @param history the prior years (normally 3), each with fund payments (fen) and enrollees.
 * @param trendFactor optional multiplicative trend (> 0), e.g. 1.03 for +3 %; default 1.
 * @returns the per-capita amount in integer fen.
 * @example
 * // 580, 600 and 620 yuan per head over 20,000 enrollees → 600 yuan = 60,000 fen
 * perCapitaAmount([
 *   { fundPaidFen: 1_160_000_000, enrollees: 20_000 },
 *   { fundPaidFen: 1_200_000_000, enrollees: 20_000 },
 *   { fundPaidFen: 1_240_000_000, enrollees: 20_000 },
 * ]); // 60000
 */
export function perCapitaAmount(history: readonly CapitationHistoryYear[], trendFactor = 1): number {
  if (!Array.isArray(history) || history.length === 0) {
    throw new RangeError('history must list at least one prior year (F3 averages the last three years), got none');
  }
  for (let i = 0; i < history.length; i++) {
    const y = history[i];
    if (y === null || typeof y !== 'object') throw new RangeError(`history[${i}] must be an object {fundPaidFen, enrollees}, got ${y}`);
    if (!Number.isSafeInteger(y.fundPaidFen) || y.fundPaidFen < 0) {
      throw new RangeError(`history[${i}].fundPaidFen must be an integer number of fen ≥ 0, got ${y.fundPaidFen}`);
    }
    if (!(y.enrollees > 0) || !Number.isFinite(y.enrollees)) {
      throw new RangeError(`history[${i}].enrollees must be a finite number > 0 (fund payments are divided by it, F3), got ${y.enrollees}`);
    }
  }
  if (!(trendFactor > 0) || !Number.isFinite(trendFactor)) {
    throw new RangeError(`trendFactor must be a finite number > 0 (a multiplicative trend, F3), got ${trendFactor}`);
  }
  const c = _perCapitaAmountCore(history, trendFactor);
  if (!Number.isSafeInteger(c)) {
    throw new RangeError(`per-capita amount is not a safe integer of fen (got ${c}): check history and trendFactor`);
  }
  return c;
}

/** The computation of {@link perCapitaAmount} without checks. */
export function _perCapitaAmountCore(history: readonly CapitationHistoryYear[], trendFactor: number): number {
  let sum = 0;
  for (const y of history) sum += y.fundPaidFen / y.enrollees;
  const c = (sum / history.length) * trendFactor;
  return c < 0 ? -roundHalfUp(-c) : roundHalfUp(c);
}
