/**
 * The payment-model interface. A payment model turns one year's facility-year aggregates (the
 * adjudicated claims) into what the fund pays each facility. Fee-for-service implements it here;
 * capitation and point-based payment implement the same interface.
 */
import type { Region } from '../population/region.ts';

export interface PaymentInput {
  region: Region;
  /** Facility-year aggregates of the whole replication (see utilization/metrics.ts). */
  agg: Float64Array;
  yearIndex: number;
  year: number;
}

export interface PaymentResult {
  /** What the fund pays each facility this year, fen (index = facility). */
  fundToFacilityFen: Float64Array;
  /** The fund's total outlay for the year, fen (= Σ fundToFacilityFen + any amount paid elsewhere). */
  fundOutlayFen: number;
  /** The claims' fund share (what fee-for-service would pay), fen — for comparison. */
  claimsFundFen: number;
}

export interface PaymentModel {
  readonly name: string;
  readonly type: string;
  payYear(input: PaymentInput): PaymentResult;
}
