/**
 * The payment-model interface. A payment model turns one year's facility-year aggregates (the
 * adjudicated claims) into what the fund pays each facility. Fee-for-service implements it here;
 * capitation and point-based payment implement the same interface.
 */
import type { Region } from '../population/region.ts';

export interface PaymentInput {
  region: Region;
  /** Facility-year aggregates of every simulated year (history and horizon), see utilization/metrics.ts. */
  agg: Float64Array;
  /** Index into the simulated years of the year to pay. */
  yearIndex: number;
  year: number;
  /** All simulated years; `horizonStart` indexes the horizon's first. */
  years: number[];
  horizonStart: number;
  /** Unit-cost index of each simulated year (for points at base-year prices). */
  costIndex: Float64Array;
}

export interface PaymentResult {
  /** What the fund pays each facility this year, fen (index = facility). */
  fundToFacilityFen: Float64Array;
  /** The fund's total outlay for the year, fen (= Σ fundToFacilityFen + any amount paid elsewhere). */
  fundOutlayFen: number;
  /** The claims' fund share (what fee-for-service would pay), fen — for comparison. */
  claimsFundFen: number;
  /** Money paid to facilities from outside the fund (public-health matching funds), fen per facility. */
  otherToFacilityFen?: Float64Array;
  /** The model's settlement of the year, step by step (for summaries and `fundcast explain`). */
  detail?: CapitationYearDetail | PointsYearDetail;
}

/** One community's capitation settlement for a year (F3). All amounts fen. */
export interface CommunitySettlement {
  community: string;
  heads: number;
  /** The history the per-capita amount came from: year, fund payments, enrolled heads. */
  history: { year: number; fundPaidFen: number; enrollees: number }[];
  trendFactor: number;
  perCapitaFen: number;
  budgetFen: number;
  actualFen: number;
  surplusFen: number;
  overspendFen: number;
  retainedFen: number;
  returnedToFundFen: number;
  villageFen: number;
  townshipFen: number;
  leadFen: number;
  leadOverspendFen: number;
  fundOverspendFen: number;
  matchingFen: number;
  matchingPaidFen: number;
  fundOutlayFen: number;
}

export interface CapitationYearDetail {
  kind: 'capitation';
  communities: CommunitySettlement[];
  rule: { retentionRate: number; villageShare: number; townshipShare: number; leadShare: number; leadCapFen: number | null; withinTierKey: string };
}

export interface PointsYearDetail {
  kind: 'points';
  budgetFen: number;
  budgetBasis: string;
  /** Facility points (after inflation), per facility; 0 for facilities outside the scheme. */
  points: Float64Array;
  coefficients: Float64Array;
  totalPoints: number;
  /** Weighted points Σ points × coefficient. */
  weightedPoints: number;
  pointValueProvisional: number;
  pointValueFinal: number;
  prepaidFen: Float64Array;
  withheldFen: number;
  finalFen: Float64Array;
  /** Year-end clearing: final − prepaid, per facility (negative: clawback). */
  balanceFen: Float64Array;
  flaggedCases: number;
  /** Fund share of off-site claims, paid fee-for-service outside the budget. */
  offSiteFen: number;
}

export interface PaymentModel {
  readonly name: string;
  readonly type: string;
  payYear(input: PaymentInput): PaymentResult;
}
