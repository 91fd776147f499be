/**
 * Year-end settlement of a capitation budget (F3 of docs/payment-models.md): surplus retention or overspend sharing,
 * and what the fund finally paid out for the year.
 */
import { _shareOverspendCore, assertOverspendRule, type OverspendRule, type OverspendShare } from './overspend.ts';
import { _splitSurplusCore, assertRetentionRule, type RetentionRule, type RetentionSplit } from './retention.ts';

/** Inputs of {@link settleCapitation}. */
export interface CapitationSettlementInput {
  /** The capitation budget B (insurance package money, `capitationFen`), integer fen ≥ 0. */
  budgetFen: number;
  /** The actual fund-liable cost A of the pilot population, integer fen ≥ 0. */
  actualFen: number;
  /** How a surplus is retained and split. */
  retention: RetentionRule;
  /** How an overspend is shared. */
  overspend: OverspendRule;
}

/** Result of {@link settleCapitation}; every amount is integer fen. */
export interface CapitationSettlement {
  budgetFen: number;
  actualFen: number;
  /** S = max(0, B − A). */
  surplusFen: number;
  /** O = max(0, A − B). */
  overspendFen: number;
  /** The surplus split when S > 0, else null. */
  retention: RetentionSplit | null;
  /** The overspend shares when O > 0, else null. */
  overspendShare: OverspendShare | null;
  /** The fund's outlay for the year: B − returnedToFund + fund's overspend share. */
  fundOutlayFen: number;
}

/**
 * Settle a capitation year, F3: with B the budget and A the actual fund-liable cost,
 * a surplus `S = B − A > 0` is split by `splitSurplus` (the unretained part returns to the fund), an
 * overspend `O = A − B > 0` by `shareOverspend`; when A = B neither happens (both null).
 *
 * The fund's outlay for the year is exactly, in integer fen,
 * `fundOutlay = B − returnedToFund + fundOverspend = A + retained − leadOverspend`
 * (the fund pays the budget, gets back the unretained surplus, and tops up its share of an overspend;
 * at most one of retained / leadOverspend is non-zero).
 * Both rules are validated even when not used, so a bad scenario fails whatever the year's outcome.
 *
 * Reference: docs/payment-models.md F3; 芜医保〔2025〕17号 二(四)9 ("对医保包干资金实行结余留用、超支分担").
 *
 * @example
 * // F3 worked case: c = 600 yuan, N = 20,000 → B = 12.0M yuan; A = 10.8M → S = 1.2M yuan
 * settleCapitation({ budgetFen: 1_200_000_000, actualFen: 1_080_000_000,
 *   retention: { retentionRate: 1, villageShare: 0.4, townshipShare: 0.3 }, overspend: { leadShare: 0.5 } });
 * // surplusFen 120_000_000 → village 48_000_000, township 36_000_000, lead 36_000_000; fundOutlayFen 1_200_000_000
 */
export function settleCapitation(input: CapitationSettlementInput): CapitationSettlement {
  if (input === null || typeof input !== 'object') throw new RangeError(`settleCapitation input must be an object, got ${input}`);
  if (!Number.isSafeInteger(input.budgetFen) || input.budgetFen < 0) {
    throw new RangeError(`budgetFen must be an integer number of fen ≥ 0 (capitation budget B, F3), got ${input.budgetFen}`);
  }
  if (!Number.isSafeInteger(input.actualFen) || input.actualFen < 0) {
    throw new RangeError(`actualFen must be an integer number of fen ≥ 0 (actual fund-liable cost A, F3), got ${input.actualFen}`);
  }
  assertRetentionRule(input.retention, 'retention.');
  assertOverspendRule(input.overspend, 'overspend.');
  return _settleCapitationCore(input);
}

/** The computation of {@link settleCapitation} without checks. */
export function _settleCapitationCore(input: CapitationSettlementInput): CapitationSettlement {
  const { budgetFen, actualFen } = input;
  const surplusFen = Math.max(0, budgetFen - actualFen);
  const overspendFen = Math.max(0, actualFen - budgetFen);
  const retention = surplusFen > 0 ? _splitSurplusCore(surplusFen, input.retention) : null;
  const overspendShare = overspendFen > 0 ? _shareOverspendCore(overspendFen, input.overspend) : null;
  const fundOutlayFen = budgetFen - (retention?.returnedToFundFen ?? 0) + (overspendShare?.fundFen ?? 0);
  return { budgetFen, actualFen, surplusFen, overspendFen, retention, overspendShare, fundOutlayFen };
}
