/**
 * Across replications: per payment model × year, the distribution of fund outlay, patient
 * out-of-pocket and total cost (and per facility tier), plus the ledger. Amounts in yuan.
 */
import { fenToYuan } from './money/fen.ts';
import { describe, type Description } from './risk/describe.ts';
import { TIER_GROUPS, type ModelYear, type ReplicationResult, type TierGroup } from './settle-replication.ts';

export interface SummaryYear {
  year: number;
  fundOutlay: Description;
  patientOutOfPocket: Description;
  totalCost: Description;
  outpatientFund: Description;
  inpatientFund: Description;
  visits: Description;
  admissions: Description;
  patients: Description;
  patientsReachingCap: Description;
  byTier: Record<TierGroup, { fundPayment: Description; patientOutOfPocket: Description; totalCost: Description; visits: Description }>;
  ledger: {
    enrollees: number;
    income: Description;
    budget: Description;
    closingBalance: Description;
    reserveMonths: Description;
    /** Share of replications whose closing balance is negative. */
    probabilityNegativeBalance: number;
  };
}

export interface Summary {
  unit: 'yuan';
  replications: number;
  years: number[];
  tiers: readonly TierGroup[];
  models: { name: string; type: string; years: SummaryYear[] }[];
}

export function summarize(reps: ReplicationResult[]): Summary {
  if (reps.length === 0) throw new RangeError('summarize: no replications');
  const sorted = [...reps].sort((a, b) => a.replication - b.replication);
  const first = sorted[0];
  const years = first.models[0].years.map((y) => y.year);
  return {
    unit: 'yuan',
    replications: sorted.length,
    years,
    tiers: TIER_GROUPS,
    models: first.models.map((m, mi) => ({
      name: m.name,
      type: m.type,
      years: years.map((year, yi) => {
        const ys: ModelYear[] = sorted.map((r) => r.models[mi].years[yi]);
        const yuan = (f: (y: ModelYear) => number) => describe(ys.map((y) => fenToYuan(f(y))));
        const count = (f: (y: ModelYear) => number) => describe(ys.map(f));
        return {
          year,
          fundOutlay: yuan((y) => y.fundOutlayFen),
          patientOutOfPocket: yuan((y) => y.patientFen),
          totalCost: yuan((y) => y.costFen),
          outpatientFund: yuan((y) => y.opFundFen),
          inpatientFund: yuan((y) => y.ipFundFen),
          visits: count((y) => y.visits),
          admissions: count((y) => y.admissions),
          patients: count((y) => y.patients),
          patientsReachingCap: count((y) => y.capReached),
          byTier: Object.fromEntries(
            TIER_GROUPS.map((t) => [
              t,
              {
                fundPayment: yuan((y) => y.byTier[t].fundFen),
                patientOutOfPocket: yuan((y) => y.byTier[t].patientFen),
                totalCost: yuan((y) => y.byTier[t].costFen),
                visits: count((y) => y.byTier[t].visits),
              },
            ]),
          ) as SummaryYear['byTier'],
          ledger: {
            enrollees: ys[0].ledger.enrollees,
            income: yuan((y) => y.ledger.incomeFen),
            budget: yuan((y) => y.ledger.budgetFen),
            closingBalance: yuan((y) => y.ledger.closingBalanceFen),
            reserveMonths: count((y) => y.ledger.reserveMonths),
            probabilityNegativeBalance: ys.filter((y) => y.ledger.closingBalanceFen < 0).length / ys.length,
          },
        };
      }),
    })),
  };
}
