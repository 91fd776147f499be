/**
 * The capitation budget of a pilot community (F3 of docs/payment-models.md): per-capita amount × heads from the
 * resident fund, plus the public-health matching funds paid out on the joint assessment.
 */
import { applyRate } from '../money/fen.ts';

/** Inputs of {@link capitationBudget}. */
export interface CapitationBudgetInput {
  /** Per-capita amount, integer fen ≥ 0 (see `perCapitaAmount`). */
  perCapitaFen: number;
  /** Enrolled heads of the pilot population, integer ≥ 0. */
  heads: number;
  /** Basic public-health funds (基本公卫经费) of the pilot area, integer fen ≥ 0. */
  publicHealthFundsFen: number;
  /** Share of the public-health funds set aside as matching funds, in [0, 1] (Wuhu: ≥ 0.10). */
  matchingShare: number;
  /** Joint assessment score in [0, 1]: the fraction of the matching funds actually paid out. */
  assessmentScore: number;
}

/** Result of {@link capitationBudget}; every amount is integer fen. */
export interface CapitationBudget {
  /** Resident-fund capitation money: perCapita × heads. This is the budget B that is settled. */
  capitationFen: number;
  /** Matching funds set aside: matchingShare × publicHealthFunds (rounded to the fen). */
  matchingFen: number;
  /** Matching funds paid out: assessmentScore × matchingFen (rounded to the fen). */
  matchingPaidFen: number;
  /** Matching funds not paid out; they stay with public health. matchingPaid + matchingUnpaid = matching. */
  matchingUnpaidFen: number;
  /** What the community receives: capitation + matchingPaid. */
  totalFen: number;
}

/**
 * Capitation budget, F3: `B = c × N`, plus the public-health matching funds
 * `matching = matchingShare × publicHealthFunds`, of which `assessmentScore × matching` is paid out
 * ("奖优罚劣") together with the capitation money; the unpaid part stays with public health.
 *
 * Only `capitationFen` is the insurance package money (医保包干资金) that is settled for surplus and
 * overspend (`settleCapitation`); the matching funds come from public health, not from the fund.
 * A policy floor on matchingShare (Wuhu: ≥ 0.10) is a dated parameter of the capitation model, checked when the scenario is validated (payment/capitation/spec.ts);
 * this function only requires matchingShare ∈ [0, 1], so that other regions (no matching) fit too.
 *
 * Reference: docs/payment-models.md F3; 芜医保〔2025〕17号 二(四)9 ("从基本公卫项目经费中至少切块10%作为配套资金 …
 * 按照'奖优罚劣'的原则进行分配，与医保打包资金同兑现").
 *
 * @example
 * capitationBudget({ perCapitaFen: 60_000, heads: 20_000, publicHealthFundsFen: 100_000_000,
 *   matchingShare: 0.1, assessmentScore: 0.9 });
 * // { capitationFen: 1_200_000_000, matchingFen: 10_000_000, matchingPaidFen: 9_000_000,
 * //   matchingUnpaidFen: 1_000_000, totalFen: 1_209_000_000 }
 */
export function capitationBudget(input: CapitationBudgetInput): CapitationBudget {
  if (input === null || typeof input !== 'object') throw new RangeError(`capitationBudget input must be an object, got ${input}`);
  const { perCapitaFen, heads, publicHealthFundsFen, matchingShare, assessmentScore } = input;
  if (!Number.isSafeInteger(perCapitaFen) || perCapitaFen < 0) {
    throw new RangeError(`perCapitaFen must be an integer number of fen ≥ 0, got ${perCapitaFen}`);
  }
  if (!Number.isSafeInteger(heads) || heads < 0) throw new RangeError(`heads must be an integer ≥ 0 (enrolled heads), got ${heads}`);
  if (!Number.isSafeInteger(publicHealthFundsFen) || publicHealthFundsFen < 0) {
    throw new RangeError(`publicHealthFundsFen must be an integer number of fen ≥ 0, got ${publicHealthFundsFen}`);
  }
  if (!(matchingShare >= 0 && matchingShare <= 1)) {
    throw new RangeError(`matchingShare must be a number in [0, 1] (share of public-health funds set aside, F3), got ${matchingShare}`);
  }
  if (!(assessmentScore >= 0 && assessmentScore <= 1)) {
    throw new RangeError(`assessmentScore must be a number in [0, 1] (fraction of matching funds paid out), got ${assessmentScore}`);
  }
  if (!Number.isSafeInteger(perCapitaFen * heads)) {
    throw new RangeError(`perCapitaFen × heads must be a safe integer of fen, got ${perCapitaFen} × ${heads}`);
  }
  return _capitationBudgetCore(input);
}

/** The computation of {@link capitationBudget} without checks. */
export function _capitationBudgetCore(input: CapitationBudgetInput): CapitationBudget {
  const capitationFen = input.perCapitaFen * input.heads;
  const matchingFen = applyRate(input.publicHealthFundsFen, input.matchingShare);
  const matchingPaidFen = applyRate(matchingFen, input.assessmentScore);
  return {
    capitationFen,
    matchingFen,
    matchingPaidFen,
    matchingUnpaidFen: matchingFen - matchingPaidFen,
    totalFen: capitationFen + matchingPaidFen,
  };
}
