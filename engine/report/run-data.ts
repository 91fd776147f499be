/**
 * The data a report is built from: a run directory's files as `fundcast run` writes them
 * (summary.json, scenario.json, run.json, replications.csv, facilities.csv, facility-results.csv).
 *
 * The types describe only what the report reads, structurally, so that the report keeps working
 * while summary.json grows; sections that may be absent (risk, sensitivity) are read defensively
 * elsewhere (risk-sections.ts), never trusted to have a shape.
 */
import type { Description } from '../risk/describe.ts';
import type { PairedDifference } from '../risk/paired-difference.ts';

export type { Description, PairedDifference };

export const TIER_KEYS = ['village', 'township', 'hospital', 'offSite'] as const;
export type TierKey = (typeof TIER_KEYS)[number];

export interface TierFigures {
  fundPayment: Description;
  otherFunding: Description;
  patientOutOfPocket: Description;
  totalCost: Description;
  revenue: Description;
  margin: Description;
  visits: Description;
}

export interface ReportYear {
  year: number;
  fundOutlay: Description;
  patientOutOfPocket: Description;
  totalCost: Description;
  byTier: Partial<Record<TierKey, TierFigures>>;
  settlement: Record<string, Description>;
  differenceFromFirst?: {
    against: string;
    fundOutlay: PairedDifference;
    patientOutOfPocket: PairedDifference;
    byTier?: Partial<Record<TierKey, { fundPayment: PairedDifference; revenue: PairedDifference }>>;
  };
  ledger: {
    enrollees: number;
    income: Description;
    budget: Description;
    closingBalance: Description;
    reserveMonths: Description;
    probabilityNegativeBalance: number;
  };
}

export interface ReportModel {
  name: string;
  type: string;
  years: ReportYear[];
  /** Horizon totals and their paired difference from the first model (summary.json since 0.3). */
  horizon?: {
    from: number;
    to: number;
    fundOutlay: Description;
    differenceFromFirst?: { against: string; fundOutlay: PairedDifference };
  };
  /** Fund risk (VaR/TVaR); read through risk-sections.ts. */
  risk?: unknown;
}

export interface ReportSummary {
  scenario?: { name?: string; title?: string | null; hash?: string };
  seed?: number;
  unit?: string;
  replications: number;
  years: number[];
  models: ReportModel[];
  /** One-way sensitivity (tornado); read through risk-sections.ts. */
  sensitivity?: unknown;
  /** The opening balance read as reserve months (engine/ledger/opening-balance.ts). */
  openingBalance?: { openingBalance: number; reserveMonths: number; reading: string };
  /** Warnings of the run (engine/run/run-checks.ts): code, optional path, message (English). */
  warnings?: { code: string; path?: string; message: string }[];
}

export interface RunInfo {
  scenario?: string;
  scenarioHash?: string;
  seed?: number;
  replications?: number;
  years?: number[];
  paymentModels?: string[];
  workers?: number;
  wallSeconds?: number;
  fundcastVersion?: string;
  /** Encoding of the run's CSV files (utf-8 when absent). */
  csvEncoding?: string;
  node?: string;
  finishedAt?: string;
}

/** One row of replications.csv, the columns the report uses. */
export interface ReplicationRow {
  replication: number;
  year: number;
  model: string;
  fundOutlay: number;
}

export interface FacilityRow {
  id: string;
  name: string;
  tier: string;
  county: string;
  community: string;
}

/** One row of facility-results.csv (written with `run --by-facility`). */
export interface FacilityResultRow {
  model: string;
  year: number;
  facility: string;
  tier: string;
  fundPaymentMean: number;
}

export interface ReportData {
  summary: ReportSummary;
  /** scenario.json as run (flags applied); undefined when the file is missing. */
  scenario?: Record<string, unknown>;
  run?: RunInfo;
  replications?: ReplicationRow[];
  facilities?: FacilityRow[];
  facilityResults?: FacilityResultRow[];
}
