/**
 * Across replications: per payment model × year, the distribution of fund outlay, patient
 * out-of-pocket and total cost (and per facility tier), plus the ledger. Amounts in yuan.
 */
import { fenToYuan } from '../money/fen.ts';
import { describe, type Description } from '../risk/describe.ts';
import { pairedDifference, type PairedDifference } from '../risk/paired-difference.ts';
import { fundRisk, type FundRisk } from '../risk/fund-risk.ts';
import { collectiveRisk, type CollectiveCache } from '../risk/collective-risk.ts';
import type { SensitivityResult } from '../risk/sensitivity.ts';
import type { OpeningCheck } from '../ledger/opening-balance.ts';
import type { RunWarning } from './run-checks.ts';
import type { MonteCarloOnly } from './monte-carlo-only.ts';
import type { PrecisionReport } from '../risk/precision.ts';
import { estimateWithControls, type ControlVariates, type ParameterControl } from '../risk/control-variates.ts';
import { TIER_GROUPS, type ModelYear, type ReplicationResult, type TierGroup } from '../ledger/results.ts';

export interface SummaryYear {
  year: number;
  fundOutlay: Description;
  patientOutOfPocket: Description;
  totalCost: Description;
  outpatientFund: Description;
  inpatientFund: Description;
  /** Cost of complication admissions (within totalCost). */
  inpatientCost: Description;
  visits: Description;
  admissions: Description;
  patients: Description;
  patientsReachingCap: Description;
  /** The cohort (F8, docs/model.md): patient-years, new registrations, deaths, other leavers, mean age. */
  cohort: { patients: Description; newPatients: Description; deaths: Description; leavers: Description; meanAge: Description };
  byTier: Record<
    TierGroup,
    {
      fundPayment: Description;
      otherFunding: Description;
      patientOutOfPocket: Description;
      totalCost: Description;
      /** Revenue = fund + other + patients; margin = revenue − cost (surplus > 0, overspend < 0). */
      revenue: Description;
      margin: Description;
      visits: Description;
      /**
       * Per-visit cost indicators (yuan per outpatient visit), with and without the drug cost of long
       * prescriptions (Beijing 京医保发〔2024〕3号 第11条: indicators exclude it).
       */
      costPerVisit: Description;
      costPerVisitExcludingLongRx: Description;
      drugCostPerVisit: Description;
      drugCostPerVisitExcludingLongRx: Description;
    }
  >;
  /** The payment model's settlement figures (capitation or points), amounts in yuan. */
  settlement: Record<string, Description>;
  /**
   * Paired differences against the first model (same replications, common random numbers): this
   * model minus the first, mean and 95% interval, yuan. Absent for the first model.
   */
  differenceFromFirst?: {
    against: string;
    fundOutlay: PairedDifference;
    patientOutOfPocket: PairedDifference;
    byTier: Record<TierGroup, { fundPayment: PairedDifference; revenue: PairedDifference }>;
  };
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

/** Totals over the horizon's years, per replication then across replications (yuan). */
export interface SummaryHorizon {
  from: number;
  to: number;
  fundOutlay: Description;
  patientOutOfPocket: Description;
  /** This model minus the first, paired on the same replications (absent for the first model). */
  differenceFromFirst?: { against: string; fundOutlay: PairedDifference; patientOutOfPocket: PairedDifference };
}

export interface Summary {
  unit: 'yuan';
  replications: number;
  years: number[];
  tiers: readonly TierGroup[];
  models: { name: string; type: string; years: SummaryYear[]; horizon: SummaryHorizon; risk: FundRisk }[];
  /** Uncertain parameters' draws across replications (probabilistic sensitivity analysis). */
  parameters?: Record<string, Description>;
  /** One-way sensitivity analysis (tornado data), when the scenario asks for it. */
  sensitivity?: SensitivityResult;
  /** In summary.json (from the run's checks, run-checks.ts): the opening balance read as reserve months. */
  openingBalance?: OpeningCheck;
  /** In summary.json: what the reader should be told (too few replications, an implausible opening balance). */
  warnings?: RunWarning[];
  /** With uncertain parameters: each model's fund risk with Monte Carlo noise alone (run/monte-carlo-only.ts). */
  monteCarloOnly?: MonteCarloOnly;
  /** With `--precision`: the targets, the achieved 95% half-widths per metric, whether they were met (risk/precision.ts). */
  precision?: PrecisionReport;
  /**
   * With uncertain parameters: each model's horizon outlay, P(ruin) and paired difference estimated
   * with the draws as control variates (their means are known exactly; risk/control-variates.ts).
   */
  controlVariates?: ControlVariates;
}

export interface RiskOptions {
  levels: number[];
  minTailReplications: number;
}

/**
 * `controls`: the uncertain parameters with their distributions' exact means (parameterControls of the
 * scenario); with them, `controlVariates` is added.
 */
export function summarize(reps: ReplicationResult[], risk: RiskOptions = { levels: [0.95, 0.99, 0.995], minTailReplications: 10 }, controls: ParameterControl[] = [], o: { collective?: boolean } = {}): Summary {
  if (reps.length === 0) throw new RangeError('summarize: no replications');
  const sorted = [...reps].sort((a, b) => a.replication - b.replication);
  const first = sorted[0];
  const years = first.models[0].years.map((y) => y.year);
  const paramNames = Object.keys(first.parameters ?? {});
  // Replications from a checkpoint written before claims' fund squares were recorded have no collective fit.
  const withSquares = o.collective !== false && sorted.every((r) => r.models.every((m) => m.years.every((y) => typeof y.claimFundSquares === 'number')));
  const cache: CollectiveCache = new Map();
  return {
    unit: 'yuan',
    replications: sorted.length,
    years,
    tiers: TIER_GROUPS,
    parameters: paramNames.length ? Object.fromEntries(paramNames.map((k) => [k, describe(sorted.map((r) => r.parameters![k]))])) : undefined,
    controlVariates: controls.length && paramNames.length ? controlVariates(sorted, controls) : undefined,
    models: first.models.map((m, mi) => ({
      name: m.name,
      type: m.type,
      risk: {
        ...fundRisk(sorted.map((r) => r.models[mi].years), risk.levels, risk.minTailReplications, paramNames.length === 0),
        ...(withSquares ? { collective: collectiveRisk(sorted.map((r) => r.models[mi].years), risk.levels, cache) } : {}),
      },
      horizon: horizonTotals(sorted, mi),
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
          inpatientCost: yuan((y) => y.ipCostFen),
          visits: count((y) => y.visits),
          admissions: count((y) => y.admissions),
          patients: count((y) => y.patients),
          patientsReachingCap: count((y) => y.capReached),
          cohort: {
            patients: count((y) => y.patients),
            newPatients: count((y) => y.cohort.newPatients),
            deaths: count((y) => y.cohort.deaths),
            leavers: count((y) => y.cohort.leavers),
            meanAge: count((y) => (y.patients > 0 ? y.cohort.ageSum / y.patients : 0)),
          },
          byTier: Object.fromEntries(
            TIER_GROUPS.map((t) => [
              t,
              {
                fundPayment: yuan((y) => y.byTier[t].fundFen),
                otherFunding: yuan((y) => y.byTier[t].otherFen),
                patientOutOfPocket: yuan((y) => y.byTier[t].patientFen),
                totalCost: yuan((y) => y.byTier[t].costFen),
                revenue: yuan((y) => y.byTier[t].revenueFen),
                margin: yuan((y) => y.byTier[t].marginFen),
                visits: count((y) => y.byTier[t].visits),
                costPerVisit: count((y) => perVisit(y.byTier[t].opCostFen, y.byTier[t].visits)),
                costPerVisitExcludingLongRx: count((y) => perVisit(y.byTier[t].opCostFen - y.byTier[t].longRxDrugFen, y.byTier[t].visits)),
                drugCostPerVisit: count((y) => perVisit(y.byTier[t].drugFen, y.byTier[t].visits)),
                drugCostPerVisitExcludingLongRx: count((y) => perVisit(y.byTier[t].drugFen - y.byTier[t].longRxDrugFen, y.byTier[t].visits)),
              },
            ]),
          ) as SummaryYear['byTier'],
          settlement: Object.fromEntries(
            Object.keys(ys[0].settlement).map((k) => [k.replace(/Fen$/, ''), k.endsWith('Fen') ? yuan((y) => y.settlement[k]) : count((y) => y.settlement[k])]),
          ),
          differenceFromFirst: mi === 0 ? undefined : paired(sorted, mi, yi),
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

function controlVariates(reps: ReplicationResult[], controls: ParameterControl[]): ControlVariates {
  const params = reps.map((r) => r.parameters!);
  const outlay = (mi: number) => reps.map((r) => fenToYuan(r.models[mi].years.reduce((a, y) => a + y.fundOutlayFen, 0)));
  const first = outlay(0);
  return {
    controls,
    models: reps[0].models.map((m, mi) => {
      const total = outlay(mi);
      return {
        name: m.name,
        horizonOutlay: estimateWithControls(total, params, controls),
        ruin: estimateWithControls(reps.map((r) => (r.models[mi].years.some((y) => y.ledger.closingBalanceFen < 0) ? 1 : 0)), params, controls, true),
        differenceFromFirst: mi === 0 ? undefined : estimateWithControls(total.map((x, i) => x - first[i]), params, controls),
      };
    }),
  };
}

function horizonTotals(reps: ReplicationResult[], mi: number): SummaryHorizon {
  const total = (r: ReplicationResult, m: number, f: (y: ModelYear) => number) => fenToYuan(r.models[m].years.reduce((a, y) => a + f(y), 0));
  const ys = reps[0].models[mi].years;
  const outlay = (m: number) => reps.map((r) => total(r, m, (y) => y.fundOutlayFen));
  const oop = (m: number) => reps.map((r) => total(r, m, (y) => y.patientFen));
  return {
    from: ys[0].year,
    to: ys[ys.length - 1].year,
    fundOutlay: describe(outlay(mi)),
    patientOutOfPocket: describe(oop(mi)),
    differenceFromFirst: mi === 0 ? undefined : { against: reps[0].models[0].name, fundOutlay: pairedDifference(outlay(mi), outlay(0)), patientOutOfPocket: pairedDifference(oop(mi), oop(0)) },
  };
}

function paired(reps: ReplicationResult[], mi: number, yi: number): SummaryYear['differenceFromFirst'] {
  const a = reps.map((r) => r.models[mi].years[yi]);
  const b = reps.map((r) => r.models[0].years[yi]);
  const d = (f: (y: ModelYear) => number) => pairedDifference(a.map((y) => fenToYuan(f(y))), b.map((y) => fenToYuan(f(y))));
  return {
    against: reps[0].models[0].name,
    fundOutlay: d((y) => y.fundOutlayFen),
    patientOutOfPocket: d((y) => y.patientFen),
    byTier: Object.fromEntries(TIER_GROUPS.map((t) => [t, { fundPayment: d((y) => y.byTier[t].fundFen), revenue: d((y) => y.byTier[t].revenueFen) }])) as Record<TierGroup, { fundPayment: PairedDifference; revenue: PairedDifference }>,
  };
}

/** Yuan per visit (0 when there are no visits). */
function perVisit(fen: number, visits: number): number {
  return visits > 0 ? fenToYuan(fen) / visits : 0;
}
