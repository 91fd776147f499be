/**
 * From one replication's facility-year aggregates to its results: every payment model pays the
 * same adjudicated claims (common random numbers), then the ledger rolls per model.
 */
import { enrolleesByYear } from './population/region.ts';
import { ledgerYears, type LedgerYear } from './ledger/ledger.ts';
import type { PaymentModel } from './payment/model.ts';
import type { Compiled } from './simulate.ts';
import { Metric, NM } from './utilization/metrics.ts';

/** Reporting groups of facilities: the three tiers, and care outside the pooling region. */
export const TIER_GROUPS = ['village', 'township', 'hospital', 'offSite'] as const;
export type TierGroup = (typeof TIER_GROUPS)[number];

export interface TierYear {
  /** What the fund pays the group's facilities, fen. */
  fundFen: number;
  /** Patients' out-of-pocket payments at these facilities, fen. */
  patientFen: number;
  costFen: number;
  visits: number;
  admissions: number;
}

export interface ModelYear {
  year: number;
  fundOutlayFen: number;
  /** The claims' fund share (fee-for-service equivalent), fen. */
  claimsFundFen: number;
  patientFen: number;
  costFen: number;
  opFundFen: number;
  ipFundFen: number;
  visits: number;
  admissions: number;
  /** Active patient-years. */
  patients: number;
  capReached: number;
  byTier: Record<TierGroup, TierYear>;
  ledger: LedgerYear;
}

export interface ReplicationResult {
  replication: number;
  models: { name: string; type: string; years: ModelYear[] }[];
}

export function tierGroupOf(c: Compiled): Uint8Array {
  const g = new Uint8Array(c.region.facilities.length);
  c.region.facilities.forEach((f, i) => (g[i] = f.offSite ? 3 : c.region.tierCode[i]));
  return g;
}

export function settleReplication(c: Compiled, models: PaymentModel[], replication: number, agg: Float64Array): ReplicationResult {
  const nF = c.region.facilities.length;
  const group = tierGroupOf(c);
  const enrollees = enrolleesByYear(c.scenario, c.region, c.years);
  return {
    replication,
    models: models.map((model) => {
      const years = c.years.map((year, yi) => {
        const pay = model.payYear({ region: c.region, agg, yearIndex: yi, year });
        const byTier = Object.fromEntries(TIER_GROUPS.map((t) => [t, { fundFen: 0, patientFen: 0, costFen: 0, visits: 0, admissions: 0 }])) as Record<TierGroup, TierYear>;
        let cost = 0, claimsFund = 0, opFund = 0, ipFund = 0, visits = 0, admissions = 0, patients = 0, capReached = 0;
        for (let f = 0; f < nF; f++) {
          const k = (yi * nF + f) * NM;
          const fc = agg[k + Metric.opCost] + agg[k + Metric.ipCost];
          const ff = agg[k + Metric.opFund] + agg[k + Metric.ipFund];
          const tg = byTier[TIER_GROUPS[group[f]]];
          tg.fundFen += pay.fundToFacilityFen[f];
          tg.patientFen += fc - ff;
          tg.costFen += fc;
          tg.visits += agg[k + Metric.visits];
          tg.admissions += agg[k + Metric.admissions];
          cost += fc;
          claimsFund += ff;
          opFund += agg[k + Metric.opFund];
          ipFund += agg[k + Metric.ipFund];
          visits += agg[k + Metric.visits];
          admissions += agg[k + Metric.admissions];
          patients += agg[k + Metric.patients];
          capReached += agg[k + Metric.capReached];
        }
        return { year, fundOutlayFen: pay.fundOutlayFen, claimsFundFen: claimsFund, patientFen: cost - claimsFund, costFen: cost, opFundFen: opFund, ipFundFen: ipFund, visits, admissions, patients, capReached, byTier };
      });
      const ledger = ledgerYears(c.scenario, c.years, enrollees, years.map((y) => y.fundOutlayFen));
      return { name: model.name, type: model.type, years: years.map((y, i) => ({ ...y, ledger: ledger[i] })) };
    }),
  };
}
