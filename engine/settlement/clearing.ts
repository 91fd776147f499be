/**
 * Year-end clearing (年终清算) of point-value payment (F1 of docs/payment-models.md): the year's final
 * payments from the annual points, less what was pre-settled (预结算) during the year.
 */
import { applyRate } from '../money/fen.ts';
import { _payByPointsCore, assertPointInputs } from './point-value.ts';

/** Inputs of {@link yearEndClearing}. */
export interface YearEndClearingInput {
  /** The year's budget, integer fen ≥ 0. */
  annualBudgetFen: number;
  /** Each facility's points for the whole year, finite ≥ 0. */
  annualPoints: readonly number[];
  /** Optional coefficient per facility (finite ≥ 0), as in `payByPoints`. */
  coefficients?: readonly number[];
  /** What each facility has already been paid during the year, integer fen ≥ 0 (Σ of `paidFen`). */
  prepaidFen: readonly number[];
}

/** Result of {@link yearEndClearing}; amounts are integer fen per facility. */
export interface YearEndClearing {
  /** Final effective point value: annual budget ÷ Σ(points × coef). */
  pointValue: number;
  /** Final payment per facility (payByPoints on the annual totals); Σ = annual budget. */
  finalFen: number[];
  /** The prepaid amounts, as given. */
  prepaidFen: number[];
  /** final − prepaid: > 0 still owed to the facility, < 0 clawed back. */
  balanceFen: number[];
  /** Σ final = annual budget. */
  totalFinalFen: number;
  /** Σ prepaid. */
  totalPrepaidFen: number;
  /** Σ balance = totalFinal − totalPrepaid. */
  totalBalanceFen: number;
}

/**
 * Year-end clearing: the final payments are `payByPoints(annualBudget, annualPoints, coefficients)`
 * (so Σ final = annual budget exactly), and each facility's balance is `final − prepaid`, which is
 * negative when the facility was overpaid (clawback). Pass as `prepaidFen` what was actually paid
 * (the monthly `paidFen` summed): the withheld amounts are then released through the balance.
 *
 * Reference: docs/payment-models.md F1 (预结算 / 年终清算); 芜医保〔2025〕17号 二(四)10.
 *
 * @example
 * yearEndClearing({ annualBudgetFen: 12_000_000, annualPoints: [1_000, 3_000], prepaidFen: [2_700_000, 8_100_000] });
 * // { pointValue: 3000, finalFen: [3_000_000, 9_000_000], prepaidFen: [2_700_000, 8_100_000],
 * //   balanceFen: [300_000, 900_000], totalFinalFen: 12_000_000, totalPrepaidFen: 10_800_000, totalBalanceFen: 1_200_000 }
 */
export function yearEndClearing(input: YearEndClearingInput): YearEndClearing {
  if (input === null || typeof input !== 'object') throw new RangeError(`yearEndClearing input must be an object, got ${input}`);
  assertPointInputs(input.annualBudgetFen, input.annualPoints, input.coefficients, 'annualBudgetFen', 'annualPoints');
  const n = input.annualPoints.length;
  if (!Array.isArray(input.prepaidFen) || input.prepaidFen.length !== n) {
    throw new RangeError(
      `prepaidFen must have one entry per facility (${n}), got ${Array.isArray(input.prepaidFen) ? input.prepaidFen.length : input.prepaidFen}`,
    );
  }
  for (let i = 0; i < n; i++) {
    const p = input.prepaidFen[i];
    if (!Number.isSafeInteger(p) || p < 0) throw new RangeError(`prepaidFen[${i}] must be an integer number of fen ≥ 0, got ${p}`);
  }
  let total = 0;
  for (const p of input.prepaidFen) total += p;
  if (!Number.isSafeInteger(total)) throw new RangeError(`Σ prepaidFen must be a safe integer of fen, got ${total}`);
  return _yearEndClearingCore(input);
}

/** The computation of {@link yearEndClearing} without checks. */
export function _yearEndClearingCore(input: YearEndClearingInput): YearEndClearing {
  const { pointValue, paymentsFen: finalFen } = _payByPointsCore(input.annualBudgetFen, input.annualPoints, input.coefficients);
  const prepaidFen = Array.from(input.prepaidFen);
  const balanceFen = finalFen.map((f, i) => f - prepaidFen[i]);
  let totalFinalFen = 0;
  let totalPrepaidFen = 0;
  for (let i = 0; i < finalFen.length; i++) {
    totalFinalFen += finalFen[i];
    totalPrepaidFen += prepaidFen[i];
  }
  return { pointValue, finalFen, prepaidFen, balanceFen, totalFinalFen, totalPrepaidFen, totalBalanceFen: totalFinalFen - totalPrepaidFen };
}
