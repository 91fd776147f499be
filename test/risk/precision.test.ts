// Precision targets (engine/risk/precision.ts, `--precision`): the flag's grammar, the fixed batch
// schedule, and runs that add replications until every targeted metric's 95% half-width meets its
// target — the same stop for 1 and 2 workers, the stop where the targets are first met on the
// schedule, and "not met" reported at the cap.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchSchedule, nextBatchEnd, parsePrecision, precisionMetrics, type PrecisionTarget } from '../../engine/risk/precision.ts';
import { runScenario, type RunResult } from '../../engine/run/run-scenario.ts';
import { shareEstimate } from '../../engine/risk/probability.ts';
import { tQuantile975 } from '../../engine/risk/paired-difference.ts';
import { fenToYuan } from '../../engine/money/fen.ts';
import type { LoadedScenario } from '../../engine/params/load.ts';
import type { ReplicationResult } from '../../engine/ledger/results.ts';
import { capitationYaml, ffsYaml, scenario as paymentScenario } from '../helpers/payment.ts';

describe('parsePrecision', () => {
  it('reads relative, absolute and combined targets', () => {
    expect(parsePrecision('0.5%')).toEqual({ outlay: 0.005, difference: 0.005 });
    expect(parsePrecision('ruin=2pp')).toEqual({ ruin: 0.02 });
    expect(parsePrecision('0.5%,ruin=2pp')).toEqual({ outlay: 0.005, difference: 0.005, ruin: 0.02 });
    expect(parsePrecision('outlay=1%, difference=0.25%')).toEqual({ outlay: 0.01, difference: 0.0025 });
  });
  it.each([
    ['5', /--precision: "5" is not a target/],
    ['ruin=2%', /P\(ruin\) is a probability; its target is absolute, in percentage points/],
    ['outlay=2pp', /outlay is an amount; its target is relative, in percent/],
    ['0%', /must be above 0 and below 100%/],
    ['1%,outlay=2%', /the outlay target is given twice/],
    ['1%,', /empty part/],
    ['var=1%', /is not a target/],
  ])('refuses %s, naming the flag and the rule', (text, msg) => {
    expect(() => parsePrecision(text)).toThrow(msg);
  });
});

describe('the batch schedule and the next batch end', () => {
  it('grows by ×1.25 (at least one replication) up to the cap, which is its last end', () => {
    expect(batchSchedule(2, 10)).toEqual([2, 3, 4, 5, 7, 9, 10]);
    expect(batchSchedule(24, 100)).toEqual([24, 30, 38, 48, 60, 75, 94, 100]);
    expect(batchSchedule(5, 5)).toEqual([5]);
  });
  const m = (achieved: number, target: number) => ({ metric: 'outlay' as const, model: 'ffs', estimate: 1, halfWidth: achieved, achieved, target, met: achieved <= target, method: 'plain' as const });
  it('stops when every metric is met or at the cap', () => {
    const s = batchSchedule(24, 100);
    expect(nextBatchEnd([m(0.004, 0.005)], 24, s)).toBeUndefined();
    expect(nextBatchEnd([m(0.01, 0.005)], 100, s)).toBeUndefined();
  });
  it('goes to the first schedule end at or beyond the projected need n·(achieved/target)², at most about ×4', () => {
    const s = batchSchedule(24, 10_000);
    expect(nextBatchEnd([m(0.0051, 0.005)], 24, s)).toBe(30); // need 25 → the next end
    expect(nextBatchEnd([m(0.01, 0.005)], 24, s)).toBe(s.find((x) => x >= 96)); // need 96
    expect(nextBatchEnd([m(1, 0.005)], 24, s)).toBe(s.find((x) => x >= 96)); // need 960 000 → capped near ×4
    expect(nextBatchEnd([m(Infinity, 0.005)], 1, batchSchedule(1, 20))).toBe(4);
  });
});

const totals = (reps: ReplicationResult[], mi: number) => reps.map((r) => fenToYuan(r.models[mi].years.reduce((a, y) => a + y.fundOutlayFen, 0)));

describe('precisionMetrics against their definitions', () => {
  it('outlay: t half-width ÷ mean; difference: paired t half-width ÷ the first model’s mean; ruin: Wilson half-width', async () => {
    const loaded = paymentScenario([ffsYaml(), capitationYaml()], { replications: 6, years: 2 });
    const r = await runScenario(loaded, { workers: 1 });
    const ms = precisionMetrics(r.replications, { outlay: 0.01, difference: 0.01, ruin: 0.1 });
    const t0 = totals(r.replications, 0);
    const t1 = totals(r.replications, 1);
    const sd = (xs: number[]) => { const mu = xs.reduce((a, x) => a + x, 0) / xs.length; return Math.sqrt(xs.reduce((a, x) => a + (x - mu) ** 2, 0) / (xs.length - 1)); };
    const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
    const o0 = ms.find((x) => x.metric === 'outlay' && x.model === r.summary.models[0].name)!;
    expect(o0.estimate).toBeCloseTo(mean(t0), 6);
    expect(o0.halfWidth).toBeCloseTo((tQuantile975(5) * sd(t0)) / Math.sqrt(6), 4);
    expect(o0.achieved).toBeCloseTo(o0.halfWidth / mean(t0), 12);
    const d = ms.find((x) => x.metric === 'difference')!;
    const diffs = t1.map((x, i) => x - t0[i]);
    expect(d.model).toBe(r.summary.models[1].name);
    expect(d.estimate).toBeCloseTo(mean(diffs), 6);
    expect(d.halfWidth).toBeCloseTo((tQuantile975(5) * sd(diffs)) / Math.sqrt(6), 4);
    expect(d.achieved).toBeCloseTo(d.halfWidth / mean(t0), 12);
    const ruin = ms.filter((x) => x.metric === 'ruin');
    expect(ruin).toHaveLength(2);
    for (const x of ruin) {
      const s = shareEstimate(Math.round(x.estimate * 6), 6);
      expect(x.halfWidth).toBeCloseTo((s.high95 - s.low95) / 2, 12);
      expect(x.halfWidth).toBeGreaterThan(0); // Wilson: not 0 at 0 of 6
    }
  });
});

describe('runScenario({ precision }) on a tiny region', () => {
  let loaded: LoadedScenario;
  let plain: RunResult;
  const MAX = 24;
  beforeAll(async () => {
    loaded = paymentScenario([ffsYaml(), capitationYaml()], { replications: 2, years: 2 });
    plain = await runScenario(loaded, { workers: 1, replications: MAX });
  });

  /** The stops the rule must take, replayed on a plain run's replications. */
  const expectedStops = (target: PrecisionTarget, first: number, max: number): number[] => {
    const schedule = batchSchedule(first, max);
    const at = [first];
    for (;;) {
      const n = at[at.length - 1];
      const next = nextBatchEnd(precisionMetrics(plain.replications.slice(0, n), target), n, schedule);
      if (next === undefined) return at;
      at.push(next);
    }
  };

  it('stops at the first batch end where every target is met: the replications of a plain run, the same for 1 and 2 workers', async () => {
    // A target met part-way: the outlay's relative half-width at 10 replications of the plain run.
    const at10 = Math.max(...precisionMetrics(plain.replications.slice(0, 10), { outlay: 1, difference: 1 }).map((m) => m.achieved));
    const target = { outlay: at10, difference: at10 };
    const stops = expectedStops(target, 2, MAX);
    expect(stops.length).toBeGreaterThan(1);
    const n = stops.at(-1)!;
    const r1 = await runScenario(loaded, { workers: 1, precision: target, maxReplications: MAX });
    expect(r1.precision!.checkedAt).toEqual(stops);
    expect(r1.precision!.met).toBe(true);
    expect(r1.precision!.replications).toBe(n);
    expect(r1.replications).toEqual(plain.replications.slice(0, n));
    for (const m of r1.precision!.metrics) expect(m.achieved).toBeLessThanOrEqual(m.target);
    // every earlier check had a metric not met
    for (const k of stops.slice(0, -1)) expect(precisionMetrics(plain.replications.slice(0, k), target).some((m) => !m.met)).toBe(true);
    expect(r1.summary.precision).toEqual(r1.precision);
    expect(r1.scenario.replications).toBe(n);
    const r2 = await runScenario(loaded, { workers: 2, precision: target, maxReplications: MAX });
    expect(r2.precision).toEqual(r1.precision);
    expect(JSON.stringify(r2.summary)).toBe(JSON.stringify(r1.summary));
  });

  it('interrupted in a later batch and resumed from its checkpoint: the same stop and summary as uninterrupted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fundcast-precision-ck-'));
    try {
      const file = join(dir, '.checkpoint.jsonl');
      const target = { outlay: 1e-9 };
      const abort = new AbortController();
      await expect(
        runScenario(loaded, { workers: 1, precision: target, maxReplications: 9, signal: abort.signal, checkpoint: { file, resume: false }, onProgress: (done) => done >= 5 && abort.abort() }),
      ).rejects.toMatchObject({ code: 'ERR_INTERRUPTED' });
      const resumed = await runScenario(loaded, { workers: 1, precision: target, maxReplications: 9, checkpoint: { file, resume: true } });
      const whole = await runScenario(loaded, { workers: 1, precision: target, maxReplications: 9 });
      expect(resumed.precision).toEqual(whole.precision);
      expect(JSON.stringify(resumed.summary)).toBe(JSON.stringify(whole.summary));
      expect(whole.replications).toEqual(plain.replications.slice(0, 9));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a target it cannot reach: stops at the cap and reports each metric not met with its half-width', async () => {
    const r = await runScenario(loaded, { workers: 1, precision: { outlay: 1e-9, ruin: 1e-6 }, maxReplications: 7 });
    expect(r.replications).toHaveLength(7);
    expect(r.precision!.met).toBe(false);
    expect(r.precision!.maxReplications).toBe(7);
    expect(r.precision!.checkedAt.at(-1)).toBe(7);
    expect(r.precision!.metrics.map((m) => m.metric)).toEqual(['outlay', 'outlay', 'ruin', 'ruin']);
    for (const m of r.precision!.metrics) {
      expect(m.met).toBe(false);
      expect(m.halfWidth).toBeGreaterThan(0);
    }
    expect(r.replications).toEqual(plain.replications.slice(0, 7));
  });

  it('an easy target: the initial replications, as a plain run', async () => {
    const r = await runScenario(loaded, { workers: 1, precision: { outlay: 0.5 } });
    expect(r.replications).toEqual(plain.replications.slice(0, 2));
    expect(r.precision).toMatchObject({ met: true, replications: 2, checkedAt: [2] });
  });

  it('refuses --until-se with --precision, and a target outside (0, 1)', async () => {
    await expect(runScenario(loaded, { workers: 1, precision: { outlay: 0.01 }, untilSE: 5 })).rejects.toThrow(/--until-se and --precision are two stopping rules/);
    await expect(runScenario(loaded, { workers: 1, precision: { ruin: 2 } })).rejects.toThrow(/--precision: ruin: the target must be a fraction above 0 and below 1/);
    await expect(runScenario(loaded, { workers: 1, precision: {} })).rejects.toThrow(/--precision: names no metric/);
    const one = paymentScenario([ffsYaml()], { replications: 2, years: 2 });
    await expect(runScenario(one, { workers: 1, precision: { difference: 0.01 } })).rejects.toThrow(/--precision: targets only paired differences, but the scenario has one payment model \(ffs\)/);
  });
});
