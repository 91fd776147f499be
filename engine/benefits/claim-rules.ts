/**
 * The benefit rules of one claim, read from the month's row of the month table
 * (params/month-table.ts). Every path that adjudicates a claim — the simulation kernel
 * (utilization/kernel.ts), replay of recorded claims (replay/adjudicate.ts) and `fundcast explain`
 * (through the kernel's trace) — calls these functions and F4's ({@link ./adjudicate.ts}), so a claim
 * gets one answer whichever path reads it. docs/model.md ("Benefit, F4") states the formulas and the
 * worked examples that test/benefits/one-adjudicator.test.ts checks through every path.
 *
 * Each function is small and takes plain numbers, so V8 inlines it into the kernel's visit loop.
 * Rounding is round half up to the fen (money/fen.ts `roundHalfUp`) everywhere.
 */
import { roundHalfUp } from '../money/fen.ts';
import {
  ABOVE_STANDARD, DRUGS_ONLY, ELIGIBLE_SHARE, IP_RATIO, MASK_STRIDE, MASKS, OFF_SITE_REDUCTION, PREPAYMENT, RATIO, RATIO_CITY, UNDESIGNATED_REDUCTION,
  WAIVER, WAIVER_SCOPE,
} from '../params/month-table.ts';
import { effectiveRatio } from './adjudicate.ts';

/**
 * Where the signing waiver of the deductible applies (`benefits.signingWaiver.scope`, params/schema.ts
 * `WAIVER_SCOPES`, coded in the month table by its index):
 * - `signedFacility` (0): a signed patient treated on site at their signed primary facility
 *   (芜医保〔2025〕17号 二(一)1, seeds/003);
 * - `anyPrimary` (1): a signed patient treated on site at any primary facility (village clinic or
 *   township/community centre);
 * - `anywhere` (2): every claim of a signed patient, off-site and hospital care included.
 */
export const SCOPE_SIGNED_FACILITY = 0;
export const SCOPE_ANY_PRIMARY = 1;
export const SCOPE_ANYWHERE = 2;

/**
 * Whether a signed patient's claim has its deductible waived this month.
 * @param tier tier of the treating facility (0 village, 1 township, 2 hospital)
 * @param atSignedFacility the claim is at the patient's signed primary facility
 * @param onSite the claim is inside the pooling region
 * @example waiverApplies(R, row, 1, true, true, true) // true when the waiver is in force (any scope)
 */
export function waiverApplies(R: Float64Array, row: number, signed: boolean, tier: number, atSignedFacility: boolean, onSite: boolean): boolean {
  if (!signed || R[row + WAIVER] !== 1) return false;
  const scope = R[row + WAIVER_SCOPE];
  if (scope === SCOPE_ANYWHERE) return true;
  if (!onSite) return false;
  return scope === SCOPE_ANY_PRIMARY ? tier < 2 : atSignedFacility;
}

/**
 * Policy-eligible cost of an outpatient claim computed from its cost: drug spending above the payment
 * standard is the patient's; a drugs-only benefit counts drugs alone; × the eligible share, less the
 * individual pre-payment of the tier.
 * eligible = round(base × eligibleShare × (1 − prepayment[tier])), base = drugs-only ? drug × (1 − above)
 * : cost − drug × above.
 */
export function outpatientEligibleFen(R: Float64Array, row: number, tier: number, costFen: number, drugFen: number): number {
  const above = R[row + ABOVE_STANDARD];
  const base = R[row + DRUGS_ONLY] === 1 ? drugFen * (1 - above) : costFen - drugFen * above;
  return roundHalfUp(base * R[row + ELIGIBLE_SHARE] * (1 - R[row + PREPAYMENT + tier]));
}

/** Eligible cost of an outpatient claim whose policy-eligible cost was recorded: less the tier's pre-payment. */
export function recordedOutpatientEligibleFen(R: Float64Array, row: number, tier: number, recordedFen: number): number {
  const pre = R[row + PREPAYMENT + tier];
  return pre > 0 ? roundHalfUp(recordedFen * (1 - pre)) : recordedFen;
}

/** Eligible cost of an admission computed from its cost: round(cost × eligibleShare). */
export function inpatientEligibleFen(R: Float64Array, row: number, costFen: number): number {
  return roundHalfUp(costFen * R[row + ELIGIBLE_SHARE]);
}

/** Ratio reduction of an off-site category (−1 = on site: none). */
export function offSiteReduction(R: Float64Array, row: number, offSite: number): number {
  return offSite >= 0 ? R[row + OFF_SITE_REDUCTION + offSite] : 0;
}

/** Ratio reduction for a patient of condition mask `mask` treated outside their designated facility. */
export function undesignatedReduction(R: Float64Array, row: number, mask: number): number {
  return R[row + MASKS + mask * MASK_STRIDE + UNDESIGNATED_REDUCTION];
}

/**
 * The outpatient ratio of a claim after reductions: the treating tier's ratio (the city-hospital
 * ratio at a level-3 city hospital), less `reduction`, never below 0.
 */
export function outpatientRatio(R: Float64Array, row: number, tier: number, cityHospital: boolean, reduction: number): number {
  return effectiveRatio(cityHospital ? R[row + RATIO_CITY] : R[row + RATIO + tier], reduction);
}

/** The inpatient ratio after reductions. */
export function inpatientRatio(R: Float64Array, row: number, reduction: number): number {
  return effectiveRatio(R[row + IP_RATIO], reduction);
}
