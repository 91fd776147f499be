/**
 * The parameters in force each month, one row per month of one Float64Array (`row =
 * m × stride`, fields at the offsets below), and each month's Poisson rates as inversion tables.
 * `compileKernelParams` (utilization/kernel-params.ts) resolves the dated parameters into it once per scenario and variant. A
 * visit reads some fifteen parameters, and in V8 each distinct typed array costs the hot loop a live
 * pointer (spilled around calls) and a bounds check: one array with a row offset per month keeps the
 * loop's registers for the simulation.
 */
import { POISSON_K, POISSON_TAIL, poissonThresholds } from '../rng/poisson-table.ts';

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
/** Where the signing waiver applies (benefits/claim-rules.ts `WaiverScope`). */
export const WAIVER_SCOPE = 37;
// Per patient group g = urban × 2 + signed: field + g × GROUP_STRIDE.
export const GROUPS = 38;
// Cumulative probability of the village clinic, and of village + township, for visits of patient group g.
export const GROUP_STRIDE = 2;
export const TIER_CUM0 = 0;
export const TIER_CUM1 = 1;
// Per condition mask k (0 … 2^K − 1): field + k × MASK_STRIDE.
export const MASKS = GROUPS + 4 * GROUP_STRIDE;
export const MASK_STRIDE = 1;
/** Ratio reduction outside the designated facility. */
export const UNDESIGNATED_REDUCTION = 0;

/**
 * Poisson rates of a month, in slots: refill visits of patient group g at slot g (0..3); other visits
 * of age band a (0..AGE_SLOTS−1) and condition mask k at 4 + a × nMasks + k; admissions of age band a,
 * duration band d (0..DURATION_SLOTS−1: 0–4, 5–9, 10–14, 15+ years since diagnosis) and mask k at
 * hospSlot + (a × DURATION_SLOTS + d) × nMasks + k. Rate `slot` of month m is at
 * `(m × poissonSlots + slot)`, × POISSON_K in `poissonT`, × POISSON_TAIL in `poissonTail`.
 */
export const REFILL_SLOT = 0;
export const CONSULT_SLOT = 4;
/** Age bands of the rates (params/schema-parts.ts RATE_BANDS) and duration bands of admissions. */
export const AGE_SLOTS = 5;
export const DURATION_SLOTS = 4;

export interface MonthTable {
  /** Doubles per month. */
  stride: number;
  rows: Float64Array;
  /** Poisson rates per month, and the first admission slot (4 + AGE_SLOTS × nMasks). */
  poissonSlots: number;
  hospSlot: number;
  /** Inversion thresholds and tail parameters of each rate (rng/poisson-table.ts). */
  poissonT: Int32Array;
  poissonTail: Float64Array;
}

/** An empty table for `nMonths` months and `nMasks` condition masks. */
export function newMonthTable(nMonths: number, nMasks: number): MonthTable {
  const stride = MASKS + nMasks * MASK_STRIDE;
  const poissonSlots = 4 + AGE_SLOTS * nMasks + AGE_SLOTS * DURATION_SLOTS * nMasks;
  return {
    stride,
    rows: new Float64Array(nMonths * stride),
    poissonSlots,
    hospSlot: CONSULT_SLOT + AGE_SLOTS * nMasks,
    poissonT: new Int32Array(nMonths * poissonSlots * POISSON_K),
    poissonTail: new Float64Array(nMonths * poissonSlots * POISSON_TAIL),
  };
}

/** Set the Poisson rate `lambda` of `slot` in month `m`. */
export function setPoissonRate(t: MonthTable, m: number, slot: number, lambda: number): void {
  const i = m * t.poissonSlots + slot;
  poissonThresholds(lambda, t.poissonT, i * POISSON_K, t.poissonTail, i * POISSON_TAIL);
}

/**
 * The fields of a month's row that are benefit rules (what adjudication reads), as opposed to
 * utilization (tier choice, prescription days, costs, Poisson rates). Restating a year under another
 * year's rules (utilization/restate.ts) copies exactly these.
 */
export function benefitFields(nMasks: number): number[] {
  const f = [WAIVER, ELIGIBLE_SHARE, IP_DEDUCTIBLE, IP_RATIO, ABOVE_STANDARD, DRUGS_ONLY, RATIO_CITY, WAIVER_SCOPE];
  for (let t = 0; t < 3; t++) f.push(RATIO + t, PREPAYMENT + t);
  for (let c = 0; c < 4; c++) f.push(OFF_SITE_REDUCTION + c);
  for (let k = 0; k < nMasks; k++) f.push(MASKS + k * MASK_STRIDE + UNDESIGNATED_REDUCTION);
  return f;
}
