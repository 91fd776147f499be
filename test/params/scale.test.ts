/**
 * region.scale and the opening balance's units (issue 21): a scaled region keeps its facilities and
 * scales its people and money together; an opening balance per enrollee or in months is exactly that
 * many yuan per enrollee or months of the first model's first-year outlay; an opening balance that
 * is implausible in reserve months is a warning naming the reading bands.
 */
import { describe, expect, it } from 'vitest';
import { buildRegion } from '../../engine/population/region.ts';
import { applyScale } from '../../engine/params/scale.ts';
import { applyOverrides, runScenario } from '../../engine/run/run-scenario.ts';
import { compile } from '../../engine/run/simulate.ts';
import { tinyScenario } from '../helpers/tiny.ts';
import { loadScenario } from '../../engine/params/load.ts';
import { yuanToFen } from '../../engine/money/fen.ts';

describe('region.scale', () => {
  const base = loadScenario('payment-comparison').scenario;

  it('scale 1 (or none) leaves the scenario and region untouched', () => {
    expect(applyScale(base)).toBe(base);
    const one = applyOverrides(base, { scale: 1 });
    expect(JSON.stringify(buildRegion(one))).toBe(JSON.stringify(buildRegion(base)));
  });

  it('the same facilities serve k times the people; money totals are scaled, per-head amounts are not', () => {
    for (const k of [0.5, 0.1, 2]) {
      const s = applyOverrides(base, { scale: k });
      const r0 = buildRegion(base);
      const r = buildRegion(s);
      expect(r.facilities.map((f) => f.id)).toEqual(r0.facilities.map((f) => f.id));
      expect(r.blocks.length).toBe(r0.blocks.length);
      r.counties.forEach((c, i) => expect(c.residents).toBe(Math.round(base.region.counties[i].residents * k)));
      expect(r.blocks.reduce((a, b) => a + b.residents.reduce((x, y) => x + y, 0), 0)).toBe(r.residents);
      const run = compile(s).scenario;
      expect(run.region.scale).toBeUndefined();
      expect(run.financing.openingBalance.value).toBeCloseTo((base.financing.openingBalance.value as number) * k, 2);
      expect(run.financing.perCapita).toEqual(base.financing.perCapita);
      const cap = run.paymentModels.find((m) => m.type === 'capitation')!;
      const cap0 = base.paymentModels.find((m) => m.type === 'capitation')!;
      expect(cap.type === 'capitation' && cap0.type === 'capitation' && cap.publicHealth).toEqual(cap0.type === 'capitation' && cap0.publicHealth);
    }
  });

  it('enrollees and the opening balance scale together: reserve months of the opening balance barely move', async () => {
    const l = tinyScenario({ residents: 80_000, replications: 2, years: 1 });
    const full = await runScenario(l, { workers: 1 });
    const half = await runScenario(l, { workers: 1, scale: 0.5 });
    expect(half.replications[0].models[0].years[0].ledger.enrollees).toBe(Math.round(40_000 * 0.6));
    expect(half.replications[0].models[0].years[0].ledger.openingBalanceFen).toBe(yuanToFen((l.scenario.financing.openingBalance.value as number) * 0.5));
    // outlay halves up to Monte Carlo noise of half the patients: within 5% here
    expect(half.checks.openingBalance.reserveMonths / full.checks.openingBalance.reserveMonths).toBeGreaterThan(0.95);
    expect(half.checks.openingBalance.reserveMonths / full.checks.openingBalance.reserveMonths).toBeLessThan(1.05);
  });
});

describe('opening balance units', () => {
  const withOpening = (unit: string, value: number) => tinyScenario({ replications: 3, years: 2, extra: `financing:\n  openingBalance: { unit: ${unit}, source: "assumption: test", value: ${value} }\n` });

  it('yuan/enrollee: the value × enrollees of the first year', async () => {
    const r = await runScenario(withOpening('yuan/enrollee', 100.5), { workers: 1 });
    for (const rep of r.replications) {
      for (const m of rep.models) expect(m.years[0].ledger.openingBalanceFen).toBe(10050 * m.years[0].ledger.enrollees);
    }
  });

  it("months: the value × the first model's first-year outlay ÷ 12, the same for every model, and within the bands no warning", async () => {
    const r = await runScenario(withOpening('months', 8), { workers: 1 });
    for (const rep of r.replications) {
      const first = rep.models[0].years[0];
      expect(first.ledger.openingBalanceFen).toBe(Math.round((first.fundOutlayFen * 8) / 12));
      for (const m of rep.models) expect(m.years[0].ledger.openingBalanceFen).toBe(first.ledger.openingBalanceFen);
    }
    expect(r.checks.openingBalance.reserveMonths).toBeCloseTo(8, 6);
    expect(r.checks.openingBalance.reading).toBe('normal');
    expect(r.checks.warnings.map((w) => w.code)).not.toContain('opening-balance');
  });

  it('an opening balance outside [severe, excessive] months is a warning citing ledger.reserveMonths', async () => {
    const high = await runScenario(withOpening('months', 40), { workers: 1 });
    const w = high.checks.warnings.find((x) => x.code === 'opening-balance')!;
    expect(w.message).toContain('40.0 months');
    expect(w.message).toContain('above the excessive threshold of 15 months');
    expect(w.message).toContain('ledger.reserveMonths: < 3 severe, 3–6 low, 6–9 normal, > 15 excessive');
    const low = await runScenario(withOpening('months', 1), { workers: 1 });
    expect(low.checks.warnings.find((x) => x.code === 'opening-balance')!.message).toContain('below the severe-shortage threshold of 3 months');
    expect(low.checks.warnings.find((x) => x.code === 'few-replications')!.message).toContain('only 3 replications');
  });
});
