/**
 * The collective risk model fitted to a payment model's simulated claims, beside the
 * microsimulation's own answer (summary.json `models[].risk.collective`; docs/risk.md, "The
 * collective risk model"). Per year and over the horizon:
 *
 * - claims N = outpatient visits + admissions (every one a claim), per replication;
 * - frequency: negative binomial when the claim counts are overdispersed across replications
 *   (sample variance v > mean m), by the method of moments (size = m²/(v − m), prob = m/v); else
 *   Poisson(m) (also with a single replication, where v cannot be estimated);
 * - severity X = the fund share of one claim (the claims' fee-for-service-equivalent fund payment,
 *   before any settlement of the payment model): gamma by the method of moments, from the pooled
 *   Σ fund / Σ N and Σ fund² / N over all replications (and years, for the horizon):
 *   shape = E[X]²/Var X, scale = Var X/E[X];
 * - the aggregate S = X₁ + … + X_N by Panjer's recursion (aggregate-loss.ts) and by the
 *   normal-power approximation: VaR and TVaR at the summary's levels;
 * - `microsimulation`: VaR and TVaR of the same quantity (the claims' fund share) across the
 *   replications (var-tvar.ts), so the two answers are of one thing. For fee-for-service it is the
 *   fund outlay; other payment models re-route it (capitation, points), see `risk.byYear`/`horizon`.
 *
 * A period with no claims, or claims without any fund share, has no fit (null).
 * Reference: Klugman, Panjer & Willmot, "Loss Models" (4th ed., 2012), §9 (aggregate loss models),
 * §13.1 (method of moments).
 * @example collectiveRisk(years, [0.95, 0.99]) // { byYear: [{ year, frequency, severity, var, tvar, … }], horizon }
 */
import type { ModelYear } from '../ledger/results.ts';
import { fenToYuan } from '../money/fen.ts';
import { aggregateLoss, type AggregateLoss } from './aggregate-loss.ts';
import { tailRisk } from './var-tvar.ts';

export interface CollectiveFit {
  frequency:
    | { distribution: 'poisson'; lambda: number; mean: number; variance: number | null }
    | { distribution: 'negativeBinomial'; size: number; prob: number; mean: number; variance: number };
  severity: { distribution: 'gamma'; shape: number; scale: number; mean: number; sd: number; fit: 'method of moments' };
  /** Exact moments of the fitted aggregate (yuan). */
  mean: number;
  sd: number;
  skewness: number;
  /** Panjer's recursion: level → yuan (null where it could not be computed; `note` says why). */
  var: Record<string, number | null>;
  tvar: Record<string, number | null>;
  /** The recursion's grid step (yuan). */
  step: number | null;
  normalPower: { var: Record<string, number>; tvar: Record<string, number> };
  /** The same quantity across the replications (sample VaR and TVaR, var-tvar.ts). */
  microsimulation: { var: Record<string, number>; tvar: Record<string, number> };
  note?: string;
}

export interface CollectiveRisk {
  byYear: ({ year: number } & { fit: CollectiveFit | null })[];
  horizon: CollectiveFit | null;
}

interface Period {
  counts: number[];
  fundYuan: number[];
  squares: number;
}

/** The fitted aggregates already computed, by fitted parameters (models often share their claims). */
export type CollectiveCache = Map<string, AggregateLoss>;

function fit(p: Period, levels: number[], cache: CollectiveCache): CollectiveFit | null {
  const n = p.counts.length;
  const claims = p.counts.reduce((a, b) => a + b, 0);
  const fund = p.fundYuan.reduce((a, b) => a + b, 0);
  if (!(claims > 0) || !(fund > 0)) return null;
  const m = claims / n;
  const v = n > 1 ? p.counts.reduce((a, c) => a + (c - m) ** 2, 0) / (n - 1) : null;
  const ex = fund / claims;
  const ex2 = p.squares / claims;
  const varX = ex2 - ex * ex;
  if (!(varX > 0)) return null;
  const shape = (ex * ex) / varX;
  const scale = varX / ex;
  const frequency: CollectiveFit['frequency'] =
    v !== null && v > m ? { distribution: 'negativeBinomial', size: (m * m) / (v - m), prob: m / v, mean: m, variance: v } : { distribution: 'poisson', lambda: m, mean: m, variance: v };
  const freqSpec = frequency.distribution === 'poisson' ? { poisson: frequency.lambda } : { negativeBinomial: { size: frequency.size, prob: frequency.prob } };
  const sevSpec = { gamma: { shape, scale } };
  const key = JSON.stringify([freqSpec, sevSpec]);
  let note: string | undefined;
  let rec: AggregateLoss | undefined = cache.get(key);
  if (!rec) {
    try {
      rec = aggregateLoss(freqSpec, sevSpec);
      cache.set(key, rec);
    } catch (e) {
      note = `Panjer's recursion failed: ${(e as Error).message}`;
    }
  }
  const np = aggregateLoss(freqSpec, sevSpec, { method: 'normalPower' });
  const at = <T,>(f: (p: number) => T): Record<string, T> => Object.fromEntries(levels.map((l) => [String(l), f(l)]));
  const safe = (f: (p: number) => number) => (l: number) => {
    try {
      return f(l);
    } catch (e) {
      note ??= `Panjer's recursion at level ${l}: ${(e as Error).message}`;
      return null;
    }
  };
  const micro = levels.map((l) => tailRisk(p.fundYuan, l, 1));
  return {
    frequency,
    severity: { distribution: 'gamma', shape, scale, mean: ex, sd: Math.sqrt(varX), fit: 'method of moments' },
    mean: np.mean,
    sd: np.sd,
    skewness: np.skewness,
    var: at(rec ? safe(rec.quantile) : () => null),
    tvar: at(rec ? safe(rec.tvar) : () => null),
    step: rec?.grid?.step ?? null,
    normalPower: { var: at(np.quantile), tvar: at(np.tvar) },
    microsimulation: { var: Object.fromEntries(micro.map((r, i) => [String(levels[i]), r.var.value])), tvar: Object.fromEntries(micro.map((r, i) => [String(levels[i]), r.tvar.value])) },
    ...(note ? { note } : {}),
  };
}

/** `years[r][y]`: replication r's ModelYear y of one payment model. */
export function collectiveRisk(years: ModelYear[][], levels: number[], cache: CollectiveCache = new Map()): CollectiveRisk {
  const nY = years[0].length;
  const claims = (m: ModelYear) => m.visits + m.admissions;
  const byYear = Array.from({ length: nY }, (_, y) => ({
    year: years[0][y].year,
    fit: fit({ counts: years.map((r) => claims(r[y])), fundYuan: years.map((r) => fenToYuan(r[y].claimsFundFen)), squares: years.reduce((a, r) => a + r[y].claimFundSquares, 0) }, levels, cache),
  }));
  const horizon = fit(
    {
      counts: years.map((r) => r.reduce((a, m) => a + claims(m), 0)),
      fundYuan: years.map((r) => fenToYuan(r.reduce((a, m) => a + m.claimsFundFen, 0))),
      squares: years.reduce((a, r) => a + r.reduce((b, m) => b + m.claimFundSquares, 0), 0),
    },
    levels,
    cache,
  );
  return { byYear, horizon };
}
