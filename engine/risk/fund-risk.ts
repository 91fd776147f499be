/**
 * Fund risk of one payment model across replications (F5, F6): per year and over the horizon, the
 * outlay's mean (with its Monte Carlo standard error), VaR and TVaR at each level, the probability
 * that outlays exceed the budget, the probability of a negative balance, the reserve-month readings;
 * the probability of ruin (the balance negative in any year of the horizon) and the run-out year.
 */
import { fenToYuan } from '../money/fen.ts';
import type { ModelYear } from '../ledger/results.ts';
import { meanWithSE } from './mean-se.ts';
import { shareEstimate, type ShareEstimate } from './probability.ts';
import type { CollectiveRisk } from './collective-risk.ts';
import { runOut, type RunOut } from './run-out.ts';
import { tailRisk, type RiskEstimate } from './var-tvar.ts';
import { normalTailProbability, type NormalTail } from './normal-tail.ts';

export interface OutlayRisk {
  mean: { value: number; se: number };
  var: Record<string, RiskEstimate>;
  tvar: Record<string, RiskEstimate>;
}

export interface FundRisk {
  levels: number[];
  /** Replications needed beyond a level for its VaR/TVaR to be reliable (scenario risk.minTailReplications). */
  minTailReplications: number;
  byYear: {
    year: number;
    outlay: OutlayRisk;
    probabilityOverBudget: ShareEstimate;
    probabilityNegativeBalance: ShareEstimate;
    /**
     * With the parameters fixed: P(balance < 0) by the normal approximation of the balance across
     * replications (normal-tail.ts), with whether it holds; absent with uncertain parameters.
     */
    probabilityNegativeBalanceNormal?: NormalTail;
    reserveMonths: { mean: { value: number; se: number }; readings: Record<string, number> };
  }[];
  horizon: {
    /** Total outlay over the horizon's years. */
    outlay: OutlayRisk;
    probabilityOverBudgetAnyYear: ShareEstimate;
    /** Probability that the balance goes negative in any year of the horizon. */
    ruin: ShareEstimate;
  };
  /** When the fund runs out: the headline answer (run-out.ts). */
  runOut: RunOut;
  /**
   * The collective risk model fitted to the simulated claims, beside the microsimulation's VaR/TVaR
   * (collective-risk.ts; set by summarize, absent from the Monte-Carlo-only risk).
   */
  collective?: CollectiveRisk;
}

function outlayRisk(values: number[], levels: number[], minTail: number): OutlayRisk {
  const out: OutlayRisk = { mean: meanWithSE(values), var: {}, tvar: {} };
  for (const p of levels) {
    const r = tailRisk(values, p, minTail);
    out.var[String(p)] = r.var;
    out.tvar[String(p)] = r.tvar;
  }
  return out;
}

/**
 * Mean reserve months over the replications where they are finite. A year without outlay has
 * infinite reserve months (±∞ by the balance's sign); when no replication has a finite value the
 * mean is that infinity when all agree (null in summary.json), else NaN.
 */
function finiteMean(months: number[]): { value: number; se: number } {
  const finite = months.filter(Number.isFinite);
  if (finite.length > 0) return meanWithSE(finite);
  return { value: months.every((m) => m === months[0]) ? months[0] : NaN, se: NaN };
}

/**
 * `years[r][y]`: replication r's ModelYear y of this model. Amounts in yuan. `fixedParameters`: every
 * replication has the same parameters (no uncertainty), so the normal approximation of P(balance < 0)
 * applies (normal-tail.ts).
 */
export function fundRisk(years: ModelYear[][], levels: number[], minTail: number, fixedParameters = false): FundRisk {
  const n = years.length;
  const nY = years[0].length;
  const byYear = Array.from({ length: nY }, (_, y) => {
    const ys = years.map((r) => r[y]);
    const readings: Record<string, number> = {};
    for (const m of ys) readings[m.ledger.reading] = (readings[m.ledger.reading] ?? 0) + 1 / n;
    return {
      year: ys[0].year,
      outlay: outlayRisk(ys.map((m) => fenToYuan(m.fundOutlayFen)), levels, minTail),
      probabilityOverBudget: shareEstimate(ys.filter((m) => m.fundOutlayFen > m.ledger.budgetFen).length, n),
      probabilityNegativeBalance: shareEstimate(ys.filter((m) => m.ledger.closingBalanceFen < 0).length, n),
      ...(fixedParameters ? { probabilityNegativeBalanceNormal: normalTailProbability(ys.map((m) => fenToYuan(m.ledger.closingBalanceFen))) } : {}),
      reserveMonths: { mean: finiteMean(ys.map((m) => m.ledger.reserveMonths)), readings },
    };
  });
  const total = years.map((r) => fenToYuan(r.reduce((a, m) => a + m.fundOutlayFen, 0)));
  return {
    levels,
    minTailReplications: minTail,
    byYear,
    horizon: {
      outlay: outlayRisk(total, levels, minTail),
      probabilityOverBudgetAnyYear: shareEstimate(years.filter((r) => r.some((m) => m.fundOutlayFen > m.ledger.budgetFen)).length, n),
      ruin: shareEstimate(years.filter((r) => r.some((m) => m.ledger.closingBalanceFen < 0)).length, n),
    },
    runOut: runOut(years),
  };
}
