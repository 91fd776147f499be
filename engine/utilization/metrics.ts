/**
 * Facility-year aggregates: what the kernel accumulates and every later stage reads.
 * Layout: a Float64Array with `(yearIndex × nFacilities + facility) × NM + metric`.
 * Money metrics hold integer fen (exact in a double up to 2^53); counts hold integers.
 */
export const Metric = {
  /** Outpatient visits (one claim each). */
  visits: 0,
  opCost: 1,
  /** Policy-eligible outpatient cost after individual pre-payment. */
  opEligible: 2,
  opFund: 3,
  admissions: 4,
  ipCost: 5,
  ipFund: 6,
  /** Patient-years whose home village clinic is this facility (enrolled heads). */
  patients: 7,
  /** Of those, signed (family-doctor contract). */
  signed: 8,
  /** Drug cost within opCost (for per-visit cost indicators with and without drugs). */
  drugCost: 9,
  refillVisits: 10,
  /** Patient-years that reached the annual outpatient cap. */
  capReached: 11,
  /**
   * Fund share of all claims of the patients whose home village clinic is this facility, wherever
   * they were treated (outpatient / inpatient): what a capitated community is charged for.
   */
  homeOpFund: 12,
  homeIpFund: 13,
  /** Inpatient points: admissions' cost at base-year prices × the DIP outlier coefficient (F2), in fen. */
  ipPoints: 14,
  /** Admissions with cost ratio r > 5, flagged for expert review (F2). */
  ipFlagged: 15,
  /** Drug cost of long prescriptions (refills of more than `longPrescriptionDays`), within drugCost. */
  longRxDrugCost: 16,
  /** Patients (at their home village clinic) who left the benefit for re-review after inactivity. */
  reReviewed: 17,
} as const;
export type MetricName = keyof typeof Metric;
export const NM = 18;
export const METRIC_NAMES = Object.keys(Metric) as MetricName[];

export function newAggregates(nYears: number, nFacilities: number): Float64Array {
  return new Float64Array(nYears * nFacilities * NM);
}

/** Add `src` into `dst` (same shape). Sums of integers below 2^53 are exact, so order never matters. */
export function addAggregates(dst: Float64Array, src: Float64Array): void {
  if (dst.length !== src.length) throw new RangeError(`aggregate shapes differ: ${dst.length} vs ${src.length}`);
  for (let i = 0; i < dst.length; i++) dst[i] += src[i];
}
