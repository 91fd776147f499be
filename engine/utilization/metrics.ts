/**
 * Facility-year aggregates: what the kernel accumulates and every later stage reads.
 * Layout: a Float64Array with `(yearIndex × nFacilities + facility) × layout.nm + metric`.
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
  /** Drug cost of long prescriptions (refills of more than `longPrescriptionDays`), within drugCost. */
  longRxDrugCost: 14,
  /** Patients (at their home village clinic) who left the benefit for re-review after inactivity. */
  reReviewed: 15,
  /** The cohort (F8) at the home village clinic: new diagnoses registered this year, deaths, other leavers, and Σ age of the patient-years. */
  newPatients: 16,
  deaths: 17,
  leavers: 18,
  ageSum: 19,
  /**
   * Σ over claims (visits and admissions) of (the claim's fund share in yuan)², in whole yuan² so that
   * sums stay exact integers: the second moment of the fund amount per claim, for the collective risk
   * model's severity (risk/collective-risk.ts). The kernel rounds each patient-year's sum (exact in
   * fen² before), replay each claim (`fundSquareYuan`); either way within ½ yuan² of the exact sum
   * per patient-year, against a claim's mean square of ≈ 80,000 yuan² in the default region.
   */
  fundSquares: 20,
} as const;
/** A claim's contribution to `Metric.fundSquares`: (fund in yuan)², rounded to a whole yuan². */
export function fundSquareYuan(fundFen: number): number {
  return Math.round(fundFen * fundFen * 1e-4);
}

export type MetricName = keyof typeof Metric;
/** Number of core metrics; claim figures of payment models follow them (see {@link AggLayout}). */
export const CORE_METRICS = 21;
export const METRIC_NAMES = Object.keys(Metric) as MetricName[];

/**
 * A figure a payment model needs per facility-year that the core metrics do not hold, accumulated
 * per admission at the admitting facility (e.g. the points model's DIP points). The kernel and replay
 * call `admission` for every admission; `id` names the figure, so models asking for the same id share
 * one slot and an id must name one definition (payment/model.ts `PaymentPlugin.claimFigures`).
 */
export interface ClaimFigure {
  id: string;
  /** The figure of one admission of cost `costFen` in simulated year `yearIndex`. */
  admission(costFen: number, yearIndex: number): number;
}

/**
 * Where the facility-year aggregates keep each metric: the core metrics at their `Metric` offsets,
 * then each claim figure at `slot[id]`. Aggregate of facility f, simulated year yi, metric k:
 * `agg[(yi × nFacilities + f) × nm + k]`.
 */
export interface AggLayout {
  nm: number;
  slot: Readonly<Record<string, number>>;
}

/** The layout for these claim figures (in order; ids unique). */
export function aggLayout(figures: readonly ClaimFigure[]): AggLayout {
  const slot: Record<string, number> = {};
  figures.forEach((f, j) => (slot[f.id] = CORE_METRICS + j));
  return { nm: CORE_METRICS + figures.length, slot };
}

/** The claim figures of several models, one per id (the first definition of an id). */
export function uniqueFigures(lists: readonly (readonly ClaimFigure[])[]): ClaimFigure[] {
  const out: ClaimFigure[] = [];
  for (const l of lists) for (const f of l) if (!out.some((g) => g.id === f.id)) out.push(f);
  return out;
}

export function newAggregates(nYears: number, nFacilities: number, layout: AggLayout): Float64Array {
  return new Float64Array(nYears * nFacilities * layout.nm);
}

/** Add `src` into `dst` (same shape). Sums of integers below 2^53 are exact, so order never matters. */
export function addAggregates(dst: Float64Array, src: Float64Array): void {
  if (dst.length !== src.length) throw new RangeError(`aggregate shapes differ: ${dst.length} vs ${src.length}`);
  for (let i = 0; i < dst.length; i++) dst[i] += src[i];
}
