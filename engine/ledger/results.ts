/**
 * What one replication yields per payment model and year, once paid and booked in the ledger: the
 * plain data the risk stage, the summary and the writers read (amounts integer fen).
 */
import type { LedgerYear } from './ledger.ts';

/** Reporting groups of facilities: the three tiers, and care outside the pooling region. */
export const TIER_GROUPS = ['village', 'township', 'hospital', 'offSite'] as const;
export type TierGroup = (typeof TIER_GROUPS)[number];

export interface TierYear {
  /** What the fund pays the group's facilities, fen. */
  fundFen: number;
  /** Money from outside the fund (public-health matching funds), fen. */
  otherFen: number;
  /** Facilities' revenue for this care: fund + other + patients' payments, fen. */
  revenueFen: number;
  /** Revenue minus the cost of the care they provided, fen (surplus > 0, loss < 0). */
  marginFen: number;
  /** Patients' out-of-pocket payments at these facilities, fen. */
  patientFen: number;
  costFen: number;
  visits: number;
  admissions: number;
  /** Outpatient cost, its drug part and the drug cost of long prescriptions, fen (per-visit indicators). */
  opCostFen: number;
  drugFen: number;
  longRxDrugFen: number;
}

export interface ModelYear {
  year: number;
  fundOutlayFen: number;
  /** The claims' fund share (fee-for-service equivalent), fen. */
  claimsFundFen: number;
  /** Σ over the claims (visits and admissions) of (fund share in yuan)², each rounded to a whole yuan² (the collective risk model's severity). */
  claimFundSquares: number;
  patientFen: number;
  costFen: number;
  opFundFen: number;
  ipFundFen: number;
  /** Cost of admissions, fen (within costFen). */
  ipCostFen: number;
  visits: number;
  admissions: number;
  /** Active patient-years. */
  patients: number;
  /** The cohort's flows in the year (F8): new registrations, deaths, other leavers, and Σ age of the patient-years. */
  cohort: { newPatients: number; deaths: number; leavers: number; ageSum: number };
  capReached: number;
  byTier: Record<TierGroup, TierYear>;
  /** The payment model's settlement figures for the year (capitation or points), fen or ratios. */
  settlement: Record<string, number>;
  /**
   * The fund's outlay by stage, fen, summing to fundOutlayFen: `claims` (claims paid as adjudicated)
   * and the stages of the payment model (capitation: capitation, surplusReturned (negative),
   * overspendPaid; points: pointSettlement; see payment/registry.ts `stagesOf`).
   */
  outlayByStage: Record<string, number>;
  /** What the fund paid each facility, fen. */
  fundToFacilityFen: Float64Array;
  ledger: LedgerYear;
}

export interface ReplicationResult {
  replication: number;
  /** Values drawn for the scenario's uncertain parameters in this replication (path → value). */
  parameters?: Record<string, number>;
  models: { name: string; type: string; years: ModelYear[] }[];
}
