/**
 * Defensive readers for the sections of summary.json that are optional or still growing: each
 * model's `risk` (VaR/TVaR of the horizon outlay) and the top-level `sensitivity` (tornado rows).
 * They return undefined unless the data have the shape the charts need, so a report of an older or
 * newer run leaves the chart out instead of failing. Accepted shapes:
 *
 *   risk.horizon.outlay.var["0.95"]  a number, or an object with a numeric `value`
 *                                    (and optionally `reliable: false`); same for tvar
 *   risk.horizon.ruin                optional; a number or an object with a numeric `value`
 *   risk.runOut                      optional; as engine/risk/run-out.ts writes it (the headline)
 *   risk.byYear[].probabilityOverBudget, .probabilityNegativeBalance   optional; numbers or { value }
 *   risk.collective.horizon          optional; as engine/risk/collective-risk.ts writes it
 *   sensitivity = { output, base, rows: [{ parameter, low, high, outputLow, outputHigh }],
 *                   unit?, year?, model? }
 */
import type { ShareEstimate } from '../risk/probability.ts';
import type { RunOut } from '../risk/run-out.ts';
import type { ReportModel, ReportSummary } from './run-data.ts';

export interface RiskLevel {
  /** The level as written, e.g. "0.95". */
  level: string;
  var?: number;
  tvar?: number;
  /** False when the run said there were too few replications beyond the level. */
  reliable: boolean;
}

export interface HorizonRisk {
  model: string;
  levels: RiskLevel[];
  /** Probability that the balance goes negative in some year of the horizon, when given. */
  ruin?: number;
}

export interface SensitivityRow {
  parameter: string;
  low: number;
  high: number;
  outputLow: number;
  outputHigh: number;
}

export interface Sensitivity {
  output: string;
  unit?: string;
  year?: number | string;
  model?: string;
  base: number;
  rows: SensitivityRow[];
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

function estimate(x: unknown): { value?: number; reliable: boolean } {
  if (isObj(x)) return { value: num(x.value), reliable: x.reliable !== false };
  return { value: num(x), reliable: true };
}

export function horizonRisk(m: ReportModel): HorizonRisk | undefined {
  const outlay = isObj(m.risk) && isObj(m.risk.horizon) && isObj(m.risk.horizon.outlay) ? m.risk.horizon.outlay : undefined;
  if (!outlay) return undefined;
  const vars = isObj(outlay.var) ? outlay.var : {};
  const tvars = isObj(outlay.tvar) ? outlay.tvar : {};
  const keys = [...new Set([...Object.keys(vars), ...Object.keys(tvars)])].filter((k) => Number.isFinite(Number(k))).sort((a, b) => Number(a) - Number(b));
  const levels = keys
    .map((level) => {
      const v = estimate(vars[level]);
      const t = estimate(tvars[level]);
      return { level, var: v.value, tvar: t.value, reliable: v.reliable && t.reliable };
    })
    .filter((l) => l.var !== undefined || l.tvar !== undefined);
  const ruin = isObj(m.risk) && isObj(m.risk.horizon) ? estimate(m.risk.horizon.ruin).value : undefined;
  return levels.length ? { model: m.name, levels, ruin } : undefined;
}

export function readSensitivity(s: ReportSummary): Sensitivity | undefined {
  const x = s.sensitivity;
  if (!isObj(x) || typeof x.output !== 'string' || num(x.base) === undefined || !Array.isArray(x.rows)) return undefined;
  const rows: SensitivityRow[] = [];
  for (const r of x.rows) {
    if (!isObj(r) || typeof r.parameter !== 'string') continue;
    const [low, high, outputLow, outputHigh] = [r.low, r.high, r.outputLow, r.outputHigh].map(num);
    if (low === undefined || high === undefined || outputLow === undefined || outputHigh === undefined) continue;
    rows.push({ parameter: r.parameter, low, high, outputLow, outputHigh });
  }
  if (!rows.length) return undefined;
  return {
    output: x.output,
    unit: typeof x.unit === 'string' ? x.unit : undefined,
    year: typeof x.year === 'number' || typeof x.year === 'string' ? x.year : undefined,
    model: typeof x.model === 'string' ? x.model : undefined,
    base: x.base as number,
    rows,
  };
}

/** Whether the sensitivity output is an amount in yuan (shown in 万元) rather than months or a share. */
export function sensitivityIsAmount(s: Sensitivity): boolean {
  if (s.unit !== undefined) return s.unit === 'yuan';
  return !/month|probab|share|ratio|rate/i.test(s.output);
}

/** A model's run-out answer and ruin probability (summary.json risk.runOut, risk.horizon.ruin), when present. */
export function readRunOut(m: ReportModel): { runOut: RunOut; ruin?: ShareEstimate } | undefined {
  const r = isObj(m.risk) ? m.risk : undefined;
  const ro = r && isObj(r.runOut) ? r.runOut : undefined;
  if (!ro || !Array.isArray(ro.probabilityByYear) || typeof ro.lastYear !== 'number' || typeof ro.n !== 'number') return undefined;
  const ruin = isObj(r!.horizon) && isObj(r!.horizon.ruin) && typeof r!.horizon.ruin.value === 'number' ? (r!.horizon.ruin as unknown as ShareEstimate) : undefined;
  return { runOut: ro as unknown as RunOut, ruin };
}

/** P(outlay > budget) and P(balance < 0) by year (risk.byYear), when present. */
export function readYearProbabilities(m: ReportModel): { year: number; pOverBudget: number; pNegative: number }[] | undefined {
  const r = isObj(m.risk) ? m.risk : undefined;
  if (!r || !Array.isArray(r.byYear)) return undefined;
  const out: { year: number; pOverBudget: number; pNegative: number }[] = [];
  for (const y of r.byYear) {
    if (!isObj(y) || typeof y.year !== 'number') return undefined;
    const p = (x: unknown) => (isObj(x) ? num(x.value) : num(x));
    const over = p(y.probabilityOverBudget);
    const neg = p(y.probabilityNegativeBalance);
    if (over === undefined || neg === undefined) return undefined;
    out.push({ year: y.year, pOverBudget: over, pNegative: neg });
  }
  return out;
}

/** The collective risk model of the horizon's claims fund beside the microsimulation's (risk.collective.horizon), when present. */
export interface CollectiveHorizon {
  model: string;
  /** "negative binomial (size 160)" or "Poisson"; the gamma severity's mean and sd (yuan). */
  frequency: string;
  severityMean: number;
  severitySd: number;
  levels: { level: string; var?: number; tvar?: number; microVar?: number; microTvar?: number }[];
}

export function collectiveHorizon(m: ReportModel): CollectiveHorizon | undefined {
  const risk = (m as unknown as { risk?: unknown }).risk;
  const c = isObj(risk) && isObj(risk.collective) && isObj(risk.collective.horizon) ? risk.collective.horizon : undefined;
  if (!c || !isObj(c.frequency) || !isObj(c.severity) || !isObj(c.var) || !isObj(c.tvar) || !isObj(c.microsimulation)) return undefined;
  const micro = c.microsimulation;
  const mv = isObj(micro.var) ? micro.var : {};
  const mt = isObj(micro.tvar) ? micro.tvar : {};
  const f = c.frequency;
  const frequency = f.distribution === 'negativeBinomial' && num(f.size) !== undefined ? `NB (size ${(f.size as number).toPrecision(3)})` : 'Poisson';
  const vars = c.var as Record<string, unknown>;
  const tvars = c.tvar as Record<string, unknown>;
  const levels = Object.keys(vars)
    .filter((k) => Number.isFinite(Number(k)))
    .sort((a, b) => Number(a) - Number(b))
    .map((level) => ({ level, var: num(vars[level]), tvar: num(tvars[level]), microVar: num(mv[level]), microTvar: num(mt[level]) }));
  const severityMean = num(c.severity.mean);
  const severitySd = num(c.severity.sd);
  if (!levels.length || severityMean === undefined || severitySd === undefined) return undefined;
  return { model: m.name, frequency, severityMean, severitySd, levels };
}
