// The whole pipeline: results depend on (scenario, seed) only — never on the worker count or how
// blocks are batched into tasks — and the per-replication results add up (claims, tiers, ledger).
import { perCapitaFinancing } from '../../engine/ledger/financing.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { yuanToFen } from '../../engine/money/fen.ts';
import type { LoadedScenario } from '../../engine/params/load.ts';
import { at } from '../../engine/params/param.ts';
import { applyOverrides, runScenario, type RunResult } from '../../engine/run/run-scenario.ts';
import { TIER_GROUPS } from '../../engine/ledger/results.ts';
import { summarize } from '../../engine/run/summarize.ts';
import { tinyScenario } from '../helpers/tiny.ts';

describe('runScenario determinism (tiny region: 4 blocks, 3 replications, 2 years)', () => {
  let loaded: LoadedScenario;
  let base: RunResult;
  beforeAll(async () => {
    loaded = tinyScenario({ replications: 3, years: 2 });
    base = await runScenario(loaded, { workers: 1, blocksPerTask: 1 });
  });

  it('has the expected shape', () => {
    expect(base.replications.map((r) => r.replication)).toEqual([0, 1, 2]);
    expect(base.summary.replications).toBe(3);
    expect(base.summary.years).toEqual([2025, 2026]);
    expect(base.replications[0].models.map((m) => m.name)).toContain('ffs');
    expect(base.summary.models[0].years[0].fundOutlay.mean).toBeGreaterThan(0);
    expect(base.workers).toBe(1);
    expect(base.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('same seed → identical results for blocksPerTask 1, 3 and all blocks, in one thread', async () => {
    for (const blocksPerTask of [3, 4, undefined]) {
      const r = await runScenario(loaded, { workers: 1, blocksPerTask });
      expect(r.replications).toEqual(base.replications);
      expect(JSON.stringify(r.summary)).toBe(JSON.stringify(base.summary));
      expect(r.hash).toBe(base.hash);
    }
  });

  it('same seed → identical results on 2 worker threads, for blocksPerTask 1, 3 and the default', async () => {
    for (const blocksPerTask of [1, 3, undefined]) {
      const r = await runScenario(loaded, { workers: 2, blocksPerTask });
      expect(r.workers).toBe(2);
      expect(r.replications).toEqual(base.replications);
      expect(JSON.stringify(r.summary)).toBe(JSON.stringify(base.summary));
    }
  });

  it('a different seed → different results; the seed flag equals the scenario seed', async () => {
    const other = await runScenario(loaded, { seed: loaded.scenario.seed + 1 });
    expect(other.hash).not.toBe(base.hash);
    expect(other.replications[0].models[0].years[0].fundOutlayFen).not.toBe(base.replications[0].models[0].years[0].fundOutlayFen);
    expect(JSON.stringify(other.summary)).not.toBe(JSON.stringify(base.summary));
    const same = await runScenario(loaded, { seed: loaded.scenario.seed });
    expect(same.replications).toEqual(base.replications);
  });

  it('replications are independent of how many are run: the first 2 of 3 equal a run of 2', async () => {
    const two = await runScenario(loaded, { replications: 2 });
    expect(two.replications).toEqual(base.replications.slice(0, 2));
    expect(two.summary).toEqual(summarize(base.replications.slice(0, 2)));
  });

  it('summarize is the summary of the replications, in any order', () => {
    expect(summarize([...base.replications].reverse())).toEqual(base.summary);
    const y0 = base.summary.models[0].years[0];
    const outlays = base.replications.map((r) => r.models[0].years[0].fundOutlayFen / 100);
    expect(y0.fundOutlay.mean).toBeCloseTo(outlays.reduce((a, b) => a + b, 0) / 3, 6);
    expect(y0.fundOutlay.min).toBe(Math.min(...outlays));
    expect(y0.fundOutlay.max).toBe(Math.max(...outlays));
    expect(y0.fundOutlay.p50).toBe([...outlays].sort((a, b) => a - b)[1]);
  });

  it('fee-for-service: fund outlay = the claims’ fund share; patient + fund = cost; all integer fen', () => {
    expect(base.replications[0].models.filter((m) => m.type === 'feeForService').length).toBeGreaterThan(0);
    for (const rep of base.replications) {
      for (const m of rep.models.filter((x) => x.type === 'feeForService')) {
        for (const y of m.years) {
          for (const v of [y.fundOutlayFen, y.claimsFundFen, y.patientFen, y.costFen, y.opFundFen, y.ipFundFen]) expect(Number.isSafeInteger(v)).toBe(true);
          expect(y.fundOutlayFen).toBe(y.claimsFundFen);
          expect(y.patientFen + y.claimsFundFen).toBe(y.costFen);
          expect(y.opFundFen + y.ipFundFen).toBe(y.claimsFundFen);
          expect(y.patientFen).toBeGreaterThan(0);
          expect(y.capReached).toBeLessThanOrEqual(y.patients);
        }
      }
    }
  });

  it('byTier sums equal the totals', () => {
    for (const rep of base.replications) {
      for (const y of rep.models[0].years) {
        const sum = (f: (t: (typeof y.byTier)['village']) => number) => TIER_GROUPS.reduce((a, t) => a + f(y.byTier[t]), 0);
        expect(sum((t) => t.fundFen)).toBe(y.fundOutlayFen);
        expect(sum((t) => t.patientFen)).toBe(y.patientFen);
        expect(sum((t) => t.costFen)).toBe(y.costFen);
        expect(sum((t) => t.visits)).toBe(y.visits);
        expect(sum((t) => t.admissions)).toBe(y.admissions);
        for (const t of TIER_GROUPS) expect(y.byTier[t].fundFen + y.byTier[t].patientFen).toBe(y.byTier[t].costFen);
        // admissions happen at hospitals only; every tier has visits
        expect(y.byTier.village.admissions + y.byTier.township.admissions + y.byTier.offSite.admissions).toBe(0);
        for (const t of TIER_GROUPS) expect(y.byTier[t].visits).toBeGreaterThan(0);
      }
    }
    const s = base.summary.models[0].years[1];
    const meanSum = TIER_GROUPS.reduce((a, t) => a + s.byTier[t].fundPayment.mean, 0);
    expect(meanSum).toBeCloseTo(s.fundOutlay.mean, 4);
  });

  it('ledger: closing = opening + budget − outlay, and the next opening is the previous closing', () => {
    const sc = base.scenario;
    for (const rep of base.replications) {
      const years = rep.models[0].years;
      expect(years[0].ledger.openingBalanceFen).toBe(yuanToFen(at(sc.financing.openingBalance, 2025)));
      years.forEach((y, i) => {
        const l = y.ledger;
        expect(l.year).toBe(y.year);
        expect(l.outlayFen).toBe(y.fundOutlayFen);
        expect(l.closingBalanceFen).toBe(l.openingBalanceFen + l.budgetFen - l.outlayFen);
        if (i > 0) expect(l.openingBalanceFen).toBe(years[i - 1].ledger.closingBalanceFen);
        // financing: the published standard, grown after the last one (ledger/financing.ts)
        expect(l.incomeFen).toBe(l.enrollees * yuanToFen(perCapitaFinancing(sc, y.year).total));
        expect(Math.abs(l.budgetFen - l.incomeFen * at(sc.financing.chronicBudgetShare, y.year))).toBeLessThanOrEqual(0.5);
        expect(l.reserveMonths).toBeCloseTo(l.closingBalanceFen / (l.outlayFen / 12), 9);
        for (const v of [l.incomeFen, l.budgetFen, l.openingBalanceFen, l.closingBalanceFen]) expect(Number.isSafeInteger(v)).toBe(true);
      });
      // enrollees: residents × insured share, then × (1 + enrolment trend) each year
      const e0 = 40_000 * at(sc.region.insuredShare, 2025);
      expect(years[0].ledger.enrollees).toBe(Math.round(e0));
      expect(years[1].ledger.enrollees).toBe(Math.round(e0 * (1 + at(sc.population.enrollmentTrend, 2026))));
    }
  });

  it('applyOverrides checks each flag and never mutates the scenario', () => {
    const s = loaded.scenario;
    const before = JSON.stringify(s);
    const o = applyOverrides(s, { replications: 2, years: 1, seed: 5 });
    expect([o.replications, o.horizon.years, o.seed]).toEqual([2, 1, 5]);
    expect(JSON.stringify(s)).toBe(before);
    expect(() => applyOverrides(s, { replications: 0 })).toThrow(/--replications/);
    expect(() => applyOverrides(s, { years: 31 })).toThrow(/--years/);
    expect(() => applyOverrides(s, { seed: -1 })).toThrow(/--seed/);
  });

  it('rejects a bad worker count naming --workers', async () => {
    await expect(runScenario(loaded, { workers: 0 })).rejects.toThrow(/--workers/);
  });
});
