/**
 * Precision targets (`fundcast run --precision`, docs/risk.md "Precision targets"): which metrics a
 * run must know to a stated 95% half-width, how far each is, and how many replications the next
 * batch should bring the run to.
 *
 * Metrics (all over the horizon, per payment model):
 * - `outlay`: each model's mean horizon fund outlay; 95% half-width t(0.975, n−1)·sd/√n, relative to
 *   the mean (target given as a percentage).
 * - `difference`: each model's paired difference from the first model (same replications, common
 *   random numbers); the same t half-width of the paired differences, relative to the first model's
 *   mean horizon outlay — a difference may be near zero, where a share of itself has no meaning, so
 *   "±0.5%" reads "to within 0.5% of what the fund spends".
 * - `ruin`: each model's P(ruin) (balance negative in any horizon year); the half-width of its Wilson
 *   95% interval, (high − low) ÷ 2, in probability (target given in percentage points). Unlike
 *   1.96·√(p(1−p)/n), it is not 0 when no replication (or every one) ran out.
 *
 * A metric with fewer than 2 replications has no half-width (Infinity): never met.
 *
 * With uncertain parameters each metric is estimated, where that holds, with the parameter draws as
 * control variates (control-variates.ts): the estimate and the t half-width are then the regression
 * estimator's (`method: 'control variates'`), which needs far fewer replications.
 */
import { fenToYuan } from '../money/fen.ts';
import type { ModelYear, ReplicationResult } from '../ledger/results.ts';
import { Errors } from '../errors.ts';
import { tQuantile975 } from './paired-difference.ts';
import { shareEstimate } from './probability.ts';
import { estimateWithControls, type ParameterControl } from './control-variates.ts';

/** Targets as fractions: relative for outlay and difference, absolute probability for ruin. */
export interface PrecisionTarget {
  outlay?: number;
  difference?: number;
  ruin?: number;
}

export interface PrecisionMetric {
  /** `outlay`, `difference` or `ruin`. */
  metric: keyof PrecisionTarget;
  /** The payment model (for `difference`: this model minus the first). */
  model: string;
  /** The estimate: yuan (outlay, difference) or probability (ruin). */
  estimate: number;
  /** The achieved 95% half-width in the estimate's unit (Infinity with fewer than 2 replications). */
  halfWidth: number;
  /** The half-width as the target states it: a share of the reference outlay (outlay, difference) or a probability (ruin). */
  achieved: number;
  target: number;
  met: boolean;
  /** `control variates` when the parameter draws served as controls (control-variates.ts), else `plain`. */
  method: 'plain' | 'control variates';
}

export interface PrecisionReport {
  target: PrecisionTarget;
  /** The run's replications when it stopped. */
  replications: number;
  maxReplications: number;
  /** Every metric met its target. */
  met: boolean;
  /** The replication counts at which the targets were checked (the batches' ends). */
  checkedAt: number[];
  metrics: PrecisionMetric[];
}

/**
 * `--precision` as written: comma-separated parts, each `X%` (outlay and difference), `outlay=X%`,
 * `difference=X%` or `ruin=Xpp` (percentage points), e.g. `0.5%,ruin=2pp`.
 */
export function parsePrecision(text: string): PrecisionTarget {
  const out: PrecisionTarget = {};
  const bad = (why: string) => Errors.BadFlag('precision', `${why} (write e.g. --precision 0.5% for the mean outlays and paired differences, --precision ruin=2pp for P(ruin), or both: --precision 0.5%,ruin=2pp)`);
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw bad(`"${text}" has an empty part`);
  for (const part of parts) {
    const m = /^(?:(outlay|difference|ruin)=)?([0-9]*\.?[0-9]+)(%|pp)$/.exec(part);
    if (!m) throw bad(`"${part}" is not a target`);
    const [, name, num, unit] = m;
    const v = Number(num) / 100;
    if (!(v > 0 && v < 1)) throw bad(`"${part}": a target must be above 0 and below 100${unit}`);
    if (name === 'ruin') {
      if (unit !== 'pp') throw bad(`"${part}": P(ruin) is a probability; its target is absolute, in percentage points (ruin=2pp)`);
      set(out, 'ruin', v, bad);
    } else {
      if (unit !== '%') throw bad(`"${part}": ${name ?? 'a mean'} is an amount; its target is relative, in percent (${name ? name + '=' : ''}0.5%)`);
      if (name === undefined || name === 'outlay') set(out, 'outlay', v, bad);
      if (name === undefined || name === 'difference') set(out, 'difference', v, bad);
    }
  }
  return out;
}

function set(t: PrecisionTarget, k: keyof PrecisionTarget, v: number, bad: (why: string) => Error): void {
  if (t[k] !== undefined) throw bad(`the ${k} target is given twice`);
  t[k] = v;
}

/** The target as the CLI shows it: `outlay ±0.5%, difference ±0.5%, ruin ±2pp`. */
export function formatTarget(t: PrecisionTarget): string {
  const pct = (x: number) => `${+(x * 100).toPrecision(6)}`;
  return [t.outlay !== undefined && `outlay ±${pct(t.outlay)}%`, t.difference !== undefined && `difference ±${pct(t.difference)}%`, t.ruin !== undefined && `P(ruin) ±${pct(t.ruin)}pp`].filter(Boolean).join(', ');
}

const horizonYuan = (ys: ModelYear[]) => fenToYuan(ys.reduce((a, y) => a + y.fundOutlayFen, 0));

function tHalf(xs: number[]): { mean: number; half: number } {
  const n = xs.length;
  const mean = xs.reduce((a, x) => a + x, 0) / n;
  if (n < 2) return { mean, half: Infinity };
  const v = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  return { mean, half: tQuantile975(n - 1) * Math.sqrt(v / n) };
}

/**
 * Every targeted metric of the replications so far (any order: sorted by replication here). With
 * `controls` (uncertain parameters with their exact means) and replications that carry their draws,
 * each metric is estimated with the draws as control variates where that holds (control-variates.ts):
 * the estimate and half-width are then the control-variate estimator's (summary.controlVariates).
 */
export function precisionMetrics(reps: ReplicationResult[], target: PrecisionTarget, controls: ParameterControl[] = []): PrecisionMetric[] {
  const sorted = [...reps].sort((a, b) => a.replication - b.replication);
  const params = controls.length && sorted[0].parameters ? sorted.map((r) => r.parameters!) : undefined;
  /** The control-variate estimate and t half-width of `y`, or undefined where it does not hold. */
  const cv = (y: number[], probability = false) => {
    if (!params) return undefined;
    const e = estimateWithControls(y, params, controls, probability);
    return e.holds ? { mean: e.value, half: tQuantile975(e.n - e.controls.length - 1) * e.se } : undefined;
  };
  const models = sorted[0].models.map((m) => m.name);
  const totals = models.map((_, mi) => sorted.map((r) => horizonYuan(r.models[mi].years)));
  const base = tHalf(totals[0]);
  const out: PrecisionMetric[] = [];
  const rel = (half: number, ref: number) => (Number.isFinite(half) ? (half === 0 ? 0 : half / Math.abs(ref)) : Infinity);
  if (target.outlay !== undefined) {
    models.forEach((model, mi) => {
      const c = cv(totals[mi]);
      const { mean, half } = c ?? tHalf(totals[mi]);
      const achieved = rel(half, mean);
      out.push({ metric: 'outlay', model, estimate: mean, halfWidth: half, achieved, target: target.outlay!, met: achieved <= target.outlay!, method: c ? 'control variates' : 'plain' });
    });
  }
  if (target.difference !== undefined) {
    for (let mi = 1; mi < models.length; mi++) {
      const d = totals[mi].map((x, i) => x - totals[0][i]);
      const c = cv(d);
      const { mean, half } = c ?? tHalf(d);
      const achieved = rel(half, (cv(totals[0]) ?? base).mean);
      out.push({ metric: 'difference', model: models[mi], estimate: mean, halfWidth: half, achieved, target: target.difference, met: achieved <= target.difference, method: c ? 'control variates' : 'plain' });
    }
  }
  if (target.ruin !== undefined) {
    models.forEach((model, mi) => {
      const ind = sorted.map((r) => (r.models[mi].years.some((y) => y.ledger.closingBalanceFen < 0) ? 1 : 0));
      const s = shareEstimate(ind.reduce((a: number, x) => a + x, 0), sorted.length);
      const wilson = sorted.length < 2 ? Infinity : (s.high95 - s.low95) / 2;
      // With controls: the control-variate half-width; at 0 or n of n ruined the Wilson half-width (an
      // indicator that never varies leaves no residual to fit, and its fit would claim certainty).
      const c = s.count > 0 && s.count < s.n ? cv(ind, true) : undefined;
      const half = c ? c.half : wilson;
      out.push({ metric: 'ruin', model, estimate: c ? c.mean : s.value, halfWidth: half, achieved: half, target: target.ruin!, met: half <= target.ruin!, method: c ? 'control variates' : 'plain' });
    });
  }
  return out;
}

/** Growth of the batch schedule: each batch end is ⌈1.25 × the previous⌉ (a run overshoots the replications it needs by at most 25%). */
export const BATCH_GROWTH = 1.25;
/** The most a run grows in one decision (×4): projections from few replications are rough. */
export const MAX_STEP = 4;

/** The batch ends from `first`: first, ⌈1.25·first⌉, … up to `max` (the last is `max`). */
export function batchSchedule(first: number, max: number): number[] {
  const out = [Math.min(first, max)];
  while (out[out.length - 1] < max) {
    const prev = out[out.length - 1];
    out.push(Math.min(max, Math.max(prev + 1, Math.ceil(prev * BATCH_GROWTH))));
  }
  return out;
}

/**
 * The replications the run should reach next, or undefined when every metric is met (or the cap is
 * reached). A half-width shrinks as 1/√n, so metric i needs about n·(achieved_i ÷ target_i)²; the next
 * stop is the first batch end of the fixed schedule at or beyond that (at least the next one; aiming at
 * no more than ×4 the current). Only the results of whole batches enter, and replication r is the same whatever
 * the batches or workers, so the stopping point is the same for any worker count.
 */
export function nextBatchEnd(metrics: PrecisionMetric[], n: number, schedule: number[]): number | undefined {
  const max = schedule[schedule.length - 1];
  if (n >= max || metrics.every((m) => m.met)) return undefined;
  let need = 0;
  for (const m of metrics) {
    if (m.met) continue;
    const ratio = m.achieved / m.target;
    need = Math.max(need, Number.isFinite(ratio) ? Math.ceil(n * ratio * ratio) : Infinity);
  }
  const want = Math.min(need, n * MAX_STEP, max);
  return schedule.find((s) => s > n && s >= want) ?? max;
}
