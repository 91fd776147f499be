/**
 * Formula F4 of docs/model.md — the patient benefit of one claim, accumulated over the benefit year:
 *
 *   fund = min(capLeft, max(0, eligible − deductibleLeft) × (ratio − offSiteReduction))
 *
 * The deductible (起付线) is consumed by eligible cost until it is used up. A signed patient treated
 * at their signed primary facility has it waived (seeds/003 二(一)1): the waived claim is not
 * charged the deductible, but it still counts towards it. (If it did not, the deductible would fall
 * on a later claim, possibly at a tier with a higher ratio, and signing could raise what the patient
 * pays over the year; the tests check that it never does.) The annual cap (年度最高支付限额) bounds the fund's total for the year. The patient pays
 * the rest of the cost, so fund + patient = cost exactly, in fen.
 */
import { applyRate } from '../money/fen.ts';

/** A patient's running benefit-year state, in fen. */
export interface BenefitYearState {
  deductibleLeftFen: number;
  capLeftFen: number;
}

export interface ClaimInput {
  /** Total cost of the claim, fen. */
  costFen: number;
  /** Policy-eligible part of the cost after any individual pre-payment, fen (≤ cost). */
  eligibleFen: number;
  /** Reimbursement ratio of the facility's tier. */
  ratio: number;
  /** Off-site reduction of the ratio (0.05 = 5 percentage points); 0 on site. */
  offSiteReduction: number;
  /** The deductible is waived for this claim (signed patient at the signed facility). */
  waived: boolean;
}

export interface ClaimResult {
  fundFen: number;
  patientFen: number;
  /** Deductible charged to this claim (0 when waived). */
  deductibleFen: number;
  /** Deductible this claim counts towards (charged or waived). */
  deductibleMetFen: number;
}

/** Deductible a claim of `eligibleFen` counts towards: the eligible cost, up to what is left. */
export function deductibleMet(eligibleFen: number, deductibleLeftFen: number): number {
  return eligibleFen < deductibleLeftFen ? eligibleFen : deductibleLeftFen;
}

/** Deductible charged to a claim of `eligibleFen`: what it meets, or 0 when waived. */
export function deductibleApplied(eligibleFen: number, deductibleLeftFen: number, waived: boolean): number {
  return waived ? 0 : deductibleMet(eligibleFen, deductibleLeftFen);
}

/** The effective ratio after an off-site reduction, never below 0. */
export function effectiveRatio(ratio: number, offSiteReduction: number): number {
  const r = ratio - offSiteReduction;
  return r > 0 ? r : 0;
}

/** The fund's share of a claim given the deductible it consumed and the cap left. */
export function fundShare(eligibleFen: number, deductibleFen: number, capLeftFen: number, rate: number): number {
  const f = applyRate(eligibleFen - deductibleFen, rate);
  return f < capLeftFen ? f : capLeftFen;
}

/**
 * Adjudicate one claim against the patient's benefit-year state (which it updates).
 * @example
 * const st = { deductibleLeftFen: 20000, capLeftFen: 300000 };
 * adjudicateClaim({ costFen: 80000, eligibleFen: 80000, ratio: 0.55, offSiteReduction: 0, waived: false }, st).fundFen // 33000
 */
export function adjudicateClaim(c: ClaimInput, state: BenefitYearState): ClaimResult {
  if (!(c.eligibleFen >= 0 && c.eligibleFen <= c.costFen)) throw new RangeError(`eligible cost must lie in [0, cost], got ${c.eligibleFen} of ${c.costFen}`);
  const met = deductibleMet(c.eligibleFen, state.deductibleLeftFen);
  const ded = c.waived ? 0 : met;
  const fund = fundShare(c.eligibleFen, ded, state.capLeftFen, effectiveRatio(c.ratio, c.offSiteReduction));
  state.deductibleLeftFen -= met;
  state.capLeftFen -= fund;
  return { fundFen: fund, patientFen: c.costFen - fund, deductibleFen: ded, deductibleMetFen: met };
}

/** A fresh benefit year. */
export function newBenefitYear(deductibleFen: number, annualCapFen: number): BenefitYearState {
  return { deductibleLeftFen: deductibleFen, capLeftFen: annualCapFen };
}
