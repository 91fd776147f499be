/**
 * Point-value payment over the year (F1 of DESIGN.md): monthly pre-settlement (预结算) at a provisional
 * point value with a withheld share, and year-end clearing (年终清算) on the annual totals.
 */
import { applyRate } from '../money/fen.ts';
import { _payByPointsCore, assertPointInputs } from './point-value.ts';

/** Inputs of {@link preSettle}. */
export interface PreSettlementInput {
  /** This month's budget (annual budget ÷ 12 or a monthly plan), integer fen ≥ 0. */
  monthlyBudgetFen: number;
  /** This month's points per facility, finite ≥ 0. */
  points: readonly number[];
  /** Share of each facility's allocation withheld until year-end (e.g. a quality deposit), in [0, 1]. */
  withholdShare: number;
}

/** Result of {@link preSettle}; amounts are integer fen per facility. */
export interface PreSettlement {
  /** Provisional point value: monthly budget ÷ Σ points (fen per point). */
  pointValue: number;
  /** Each facility's allocation at the provisional point value; Σ = monthly budget. */
  allocationFen: number[];
  /** Withheld now: round(withholdShare × allocation). */
  withheldFen: number[];
  /** Paid now: allocation − withheld. paid + withheld = allocation, per facility. */
  paidFen: number[];
  /** Σ paid. */
  totalPaidFen: number;
  /** Σ withheld. totalPaid + totalWithheld = monthly budget. */
  totalWithheldFen: number;
}

/**
 * Monthly pre-settlement: allocate the month's budget by this month's points at the provisional point
 * value `monthlyBudget ÷ Σ points` (largest remainder, so the allocations sum exactly to the monthly
 * budget), withhold `round(withholdShare × allocation)` from each facility and pay the rest now.
 * No coefficients are applied monthly; they enter at year-end clearing.
 *
 * Reference: DESIGN.md F1 and glossary (预结算 / 年终清算); 芜医保〔2025〕17号 二(四)10 (区域点数法总额预算和分值付费).
 *
 * @example
 * preSettle({ monthlyBudgetFen: 1_000_000, points: [100, 300], withholdShare: 0.1 });
 * // { pointValue: 2500, allocationFen: [250_000, 750_000], withheldFen: [25_000, 75_000],
 * //   paidFen: [225_000, 675_000], totalPaidFen: 900_000, totalWithheldFen: 100_000 }
 */
export function preSettle(input: PreSettlementInput): PreSettlement {
  if (input === null || typeof input !== 'object') throw new RangeError(`preSettle input must be an object, got ${input}`);
  if (!(input.withholdShare >= 0 && input.withholdShare <= 1)) {
    throw new RangeError(`withholdShare must be a number in [0, 1] (share withheld until year-end clearing), got ${input.withholdShare}`);
  }
  assertPointInputs(input.monthlyBudgetFen, input.points, undefined, 'monthlyBudgetFen', 'points');
  return _preSettleCore(input);
}

/** The computation of {@link preSettle} without checks. */
export function _preSettleCore(input: PreSettlementInput): PreSettlement {
  const { pointValue, paymentsFen: allocationFen } = _payByPointsCore(input.monthlyBudgetFen, input.points);
  const withheldFen = allocationFen.map((a) => applyRate(a, input.withholdShare));
  const paidFen = allocationFen.map((a, i) => a - withheldFen[i]);
  let totalPaidFen = 0;
  let totalWithheldFen = 0;
  for (let i = 0; i < paidFen.length; i++) {
    totalPaidFen += paidFen[i];
    totalWithheldFen += withheldFen[i];
  }
  return { pointValue, allocationFen, withheldFen, paidFen, totalPaidFen, totalWithheldFen };
}

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
 * Reference: DESIGN.md F1 and glossary (预结算 / 年终清算); 芜医保〔2025〕17号 二(四)10.
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
