/**
 * The kernel's parameters in force each month, packed into one row per month of one Float64Array
 * (`row = m × stride`, fields at the offsets below). The per-field arrays of {@link KernelParams}
 * are what the rest of the engine reads; the kernel reads this copy because a visit touches some
 * thirty parameters, and in V8 each distinct typed array costs the hot loop a live pointer (spilled
 * around calls) and a bounds check: one array with a row offset per month keeps the loop's
 * registers for the simulation. The values are the same numbers, so results are unchanged.
 */
import { POISSON_K, POISSON_TAIL, poissonThresholds } from '../rng/poisson-table.ts';
import type { KernelParams } from './kernel-params.ts';

// Per tier t (0 village, 1 township, 2 hospital): field + t.
export const RATIO = 0;
export const PREPAYMENT = 3;
export const RX_DAYS = 6;
export const SERVICE_MU = 9;
export const SERVICE_SIGMA = 12;
// Per month.
export const WAIVER = 15;
export const ELIGIBLE_SHARE = 16;
export const IP_DEDUCTIBLE = 17;
export const IP_RATIO = 18;
export const IP_MU = 19;
export const IP_SIGMA = 20;
export const VBP_FACTOR = 21;
export const ABOVE_STANDARD = 22;
export const DRUGS_ONLY = 23;
export const RATIO_CITY = 24;
export const RE_REVIEW_MONTHS = 25;
export const PHARMACY_SHARE = 26;
export const SHORTAGE_SHARE = 27;
export const SHORTAGE_CATEGORY = 28;
// Per off-site category c (0..3): field + c.
export const OFF_SITE_CUM = 29;
export const OFF_SITE_REDUCTION = 33;
// Per patient group g = urban × 2 + signed: field + g × GROUP_STRIDE.
export const GROUPS = 37;
export const GROUP_STRIDE = 4;
export const TIER_CUM0 = 0;
export const TIER_CUM1 = 1;
export const REFILL_LAMBDA = 2;
export const REFILL_L = 3;
// Per condition mask k (0 … 2^K − 1): field + k × MASK_STRIDE.
export const MASKS = GROUPS + 4 * GROUP_STRIDE;
export const MASK_STRIDE = 5;
export const CONSULT_LAMBDA = 0;
export const CONSULT_L = 1;
export const HOSP_LAMBDA = 2;
export const HOSP_L = 3;
export const UNDESIGNATED_REDUCTION = 4;

/**
 * Poisson rates of a month, in slots: refill visits of patient group g at slot g (0..3), other visits
 * of condition mask k at 4 + k, admissions at 4 + nMasks + k. Rate `slot` of month m is at
 * `(m × poissonSlots + slot)`, × POISSON_K in `poissonT`, × POISSON_TAIL in `poissonTail`.
 */
export const REFILL_SLOT = 0;
export const CONSULT_SLOT = 4;

export interface MonthTable {
  /** Doubles per month. */
  stride: number;
  rows: Float64Array;
  /** Poisson rates per month, and the first admission slot (4 + nMasks). */
  poissonSlots: number;
  hospSlot: number;
  /** Inversion thresholds and tail parameters of each rate (rng/poisson-table.ts). */
  poissonT: Int32Array;
  poissonTail: Float64Array;
}

/** Pack `kp`'s per-month parameters into rows. */
export function packMonths(kp: Omit<KernelParams, 'months'>): MonthTable {
  const stride = MASKS + kp.nMasks * MASK_STRIDE;
  const rows = new Float64Array(kp.nMonths * stride);
  for (let m = 0; m < kp.nMonths; m++) {
    const r = m * stride;
    for (let t = 0; t < 3; t++) {
      rows[r + RATIO + t] = kp.ratio[m * 3 + t];
      rows[r + PREPAYMENT + t] = kp.prepayment[m * 3 + t];
      rows[r + RX_DAYS + t] = kp.prescriptionDays[m * 3 + t];
      rows[r + SERVICE_MU + t] = kp.serviceMu[m * 3 + t];
      rows[r + SERVICE_SIGMA + t] = kp.serviceSigma[m * 3 + t];
    }
    rows[r + WAIVER] = kp.waiver[m];
    rows[r + ELIGIBLE_SHARE] = kp.eligibleShare[m];
    rows[r + IP_DEDUCTIBLE] = kp.ipDeductibleFen[m];
    rows[r + IP_RATIO] = kp.ipRatio[m];
    rows[r + IP_MU] = kp.ipMu[m];
    rows[r + IP_SIGMA] = kp.ipSigma[m];
    rows[r + VBP_FACTOR] = kp.vbpFactor[m];
    rows[r + ABOVE_STANDARD] = kp.aboveStandard[m];
    rows[r + DRUGS_ONLY] = kp.drugsOnly[m];
    rows[r + RATIO_CITY] = kp.ratioCity[m];
    rows[r + RE_REVIEW_MONTHS] = kp.reReviewMonths[m];
    rows[r + PHARMACY_SHARE] = kp.pharmacyShare[m];
    rows[r + SHORTAGE_SHARE] = kp.shortageShare[m];
    rows[r + SHORTAGE_CATEGORY] = kp.shortageCategory[m];
    for (let c = 0; c < 4; c++) {
      rows[r + OFF_SITE_CUM + c] = kp.offSiteCum[m * 4 + c];
      rows[r + OFF_SITE_REDUCTION + c] = kp.offSiteReduction[m * 4 + c];
    }
    for (let g = 0; g < 4; g++) {
      const o = r + GROUPS + g * GROUP_STRIDE;
      rows[o + TIER_CUM0] = kp.tierCum[(m * 4 + g) * 2];
      rows[o + TIER_CUM1] = kp.tierCum[(m * 4 + g) * 2 + 1];
      rows[o + REFILL_LAMBDA] = kp.refillLambda[m * 4 + g];
      rows[o + REFILL_L] = kp.refillL[m * 4 + g];
    }
    for (let k = 0; k < kp.nMasks; k++) {
      const o = r + MASKS + k * MASK_STRIDE;
      rows[o + CONSULT_LAMBDA] = kp.consultLambda[m * kp.nMasks + k];
      rows[o + CONSULT_L] = kp.consultL[m * kp.nMasks + k];
      rows[o + HOSP_LAMBDA] = kp.hospLambda[m * kp.nMasks + k];
      rows[o + HOSP_L] = kp.hospL[m * kp.nMasks + k];
      rows[o + UNDESIGNATED_REDUCTION] = kp.undesignatedReduction[m * kp.nMasks + k];
    }
  }
  const nM = kp.nMasks;
  const poissonSlots = 4 + 2 * nM;
  const poissonT = new Int32Array(kp.nMonths * poissonSlots * POISSON_K);
  const poissonTail = new Float64Array(kp.nMonths * poissonSlots * POISSON_TAIL);
  for (let m = 0; m < kp.nMonths; m++) {
    const rate = (slot: number, lambda: number) => {
      const i = m * poissonSlots + slot;
      poissonThresholds(lambda, poissonT, i * POISSON_K, poissonTail, i * POISSON_TAIL);
    };
    for (let g = 0; g < 4; g++) rate(REFILL_SLOT + g, kp.refillLambda[m * 4 + g]);
    for (let k = 0; k < nM; k++) {
      rate(CONSULT_SLOT + k, kp.consultLambda[m * nM + k]);
      rate(CONSULT_SLOT + nM + k, kp.hospLambda[m * nM + k]);
    }
  }
  return { stride, rows, poissonSlots, hospSlot: CONSULT_SLOT + nM, poissonT, poissonTail };
}
