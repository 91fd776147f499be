// summary.json risk.collective (engine/risk/collective-risk.ts): the collective risk model fitted
// to the simulated claims. The fit's arithmetic on hand-made replications; the claims' fund squares
// that the kernel records against its own claim trace; and the pipeline: present per model, year
// and horizon, valid against summary.json's schema, and its microsimulation figures those of the
// replications.
import { describe, expect, it } from 'vitest';
import { aggregateLoss } from '../../engine/index.ts';
import { collectiveRisk } from '../../engine/risk/collective-risk.ts';
import { tailRisk } from '../../engine/risk/var-tvar.ts';
import type { ModelYear } from '../../engine/ledger/results.ts';
import { compile, simulateBlocks } from '../../engine/run/simulate.ts';
import { runScenario } from '../../engine/run/run-scenario.ts';
import { checkSummary, SummarySchema } from '../../engine/run/summary-schema.ts';
import { settleReplication } from '../../engine/run/settle-replication.ts';
import { paymentModel } from '../../engine/payment/index.ts';
import { tinyScenario } from '../helpers/tiny.ts';

/** A ModelYear with only what the collective fit reads (claims, their fund share in fen, the squares in yuan²). */
const year = (y: number, visits: number, admissions: number, fundYuan: number, squares: number) =>
  ({ year: y, visits, admissions, claimsFundFen: Math.round(fundYuan * 100), claimFundSquares: squares }) as unknown as ModelYear;

describe('the fit', () => {
  // 4 replications × 2 years; claims 1000 ± a lot (overdispersed) in 2025, 1000 exactly in 2026
  const counts25 = [900, 1000, 1100, 1200];
  const reps = counts25.map((n, r) => [year(2025, n - 100, 100, 40 * n, 4000 * n), year(2026, 900, 100, 50 * 1000 + r, 6000 * 1000)]);
  const c = collectiveRisk(reps, [0.9, 0.99]);

  it('overdispersed counts: negative binomial by moments; gamma severity by moments', () => {
    const f = c.byYear[0].fit!;
    const m = 1050;
    const v = counts25.reduce((a, x) => a + (x - m) ** 2, 0) / 3;
    expect(f.frequency).toEqual({ distribution: 'negativeBinomial', size: (m * m) / (v - m), prob: m / v, mean: m, variance: v });
    // E[X] = 40, E[X²] = 4000: Var X = 2400, shape = 1600/2400, scale = 2400/40
    expect(f.severity.mean).toBeCloseTo(40, 9);
    expect(f.severity.sd).toBeCloseTo(Math.sqrt(2400), 9);
    expect(f.severity.shape).toBeCloseTo(1600 / 2400, 9);
    expect(f.severity.scale).toBeCloseTo(60, 9);
    expect(f.severity.fit).toBe('method of moments');
  });

  it('counts without overdispersion: Poisson; one replication: Poisson with no variance', () => {
    expect(c.byYear[1].fit!.frequency).toEqual({ distribution: 'poisson', lambda: 1000, mean: 1000, variance: 0 });
    const one = collectiveRisk([reps[0]], [0.9]);
    expect(one.byYear[0].fit!.frequency).toEqual({ distribution: 'poisson', lambda: 900, mean: 900, variance: null });
  });

  it('the horizon pools the years: claims per replication summed, severity moments pooled', () => {
    const h = c.horizon!;
    expect(h.frequency.mean).toBe(2050);
    const fund = reps.reduce((a, r) => a + r[0].claimsFundFen / 100 + r[1].claimsFundFen / 100, 0);
    expect(h.severity.mean).toBeCloseTo(fund / (4 * 2050), 9);
  });

  it('its VaR/TVaR are aggregateLoss’s for the fitted model; the microsimulation’s are the replications’', () => {
    const f = c.byYear[0].fit!;
    const direct = aggregateLoss({ negativeBinomial: { size: (f.frequency as { size: number }).size, prob: (f.frequency as { prob: number }).prob } }, { gamma: { shape: f.severity.shape, scale: f.severity.scale } });
    expect(f.var['0.99']).toBe(direct.quantile(0.99));
    expect(f.tvar['0.9']).toBe(direct.tvar(0.9));
    expect(f.mean).toBeCloseTo(1050 * 40, 6);
    const micro = tailRisk(reps.map((r) => r[0].claimsFundFen / 100), 0.9, 1);
    expect(f.microsimulation.var['0.9']).toBe(micro.var.value);
    expect(f.microsimulation.tvar['0.9']).toBe(micro.tvar.value);
    const np = aggregateLoss({ negativeBinomial: { size: (f.frequency as { size: number }).size, prob: (f.frequency as { prob: number }).prob } }, { gamma: { shape: f.severity.shape, scale: f.severity.scale } }, { method: 'normalPower' });
    expect(f.normalPower.var['0.99']).toBe(np.quantile(0.99));
  });

  it('a year without claims, or without any fund share, has no fit', () => {
    const none = collectiveRisk([[year(2025, 0, 0, 0, 0)], [year(2025, 0, 0, 0, 0)]], [0.9]);
    expect(none.byYear[0].fit).toBeNull();
    expect(none.horizon).toBeNull();
    expect(collectiveRisk([[year(2025, 10, 0, 0, 0)]], [0.9]).horizon).toBeNull();
  });
});

describe('the claims’ fund squares the kernel records (Metric.fundSquares)', () => {
  it('equal Σ over patient-years of round(Σ (fund in fen)² over its claims ÷ 10⁴) (yuan²), per year, from the trace', () => {
    const loaded = tinyScenario({ years: 2, replications: 1 });
    const c = compile(loaded.scenario);
    const byYear = new Map<number, number>();
    let open = 0; // the current patient-year's Σ fund² in fen² (its claims are traced before it)
    const all = simulateBlocks(c, 0, 0, c.region.blocks.length, (e) => {
      if (e.kind === 'outpatient' || e.kind === 'inpatient') open += e.fundFen * e.fundFen;
      if (e.kind === 'patientYear') {
        byYear.set(e.yearIndex, (byYear.get(e.yearIndex) ?? 0) + Math.round(open * 1e-4));
        open = 0;
      }
    });
    const res = settleReplication(c, c.scenario.paymentModels.map((m) => paymentModel(m, c.scenario, c.region)), 0, all);
    const ys = res.models[0].years;
    expect(ys.length).toBeGreaterThan(0);
    for (let i = 0; i < ys.length; i++) {
      expect(ys[i].claimFundSquares).toBeGreaterThan(0);
      expect(ys[i].claimFundSquares).toBe(byYear.get(c.horizonStart + i));
    }
  });
});

describe('summary.json risk.collective (tiny region, 6 replications, 2 years)', () => {
  it('per model, year and horizon; valid against the schema; the microsimulation’s figures are the replications’ claims fund', async () => {
    const run = await runScenario(tinyScenario({ years: 2, replications: 6, extra: 'risk: { levels: [0.9, 0.99], minTailReplications: 2 }' }), { workers: 1 });
    const s = run.summary;
    expect(() => checkSummary({ schemaVersion: 1, scenario: { name: 'tiny', title: null, hash: 'x' }, seed: 1, ...s })).not.toThrow();
    for (const [mi, m] of s.models.entries()) {
      const col = m.risk.collective!;
      expect(col.byYear.map((y) => y.year)).toEqual(s.years);
      for (const f of [...col.byYear.map((y) => y.fit), col.horizon]) {
        expect(f).not.toBeNull();
        expect(Object.keys(f!.var)).toEqual(['0.9', '0.99']);
        expect(f!.var['0.99']!).toBeGreaterThan(f!.mean);
        expect(f!.tvar['0.99']!).toBeGreaterThanOrEqual(f!.var['0.99']!);
      }
      const totals = run.replications.map((r) => r.models[mi].years.reduce((a, y) => a + y.claimsFundFen, 0) / 100);
      expect(col.horizon!.microsimulation.var['0.9']).toBe(tailRisk(totals, 0.9, 1).var.value);
      // the collective model's mean is the replications' mean claims fund (the fit keeps it)
      expect(col.horizon!.mean).toBeCloseTo(totals.reduce((a, b) => a + b, 0) / totals.length, 2);
    }
    expect(SummarySchema.shape.models.element.shape.risk.shape.collective).toBeDefined();
  });
});
