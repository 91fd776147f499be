// Chart builders: every chart compiles as vega-lite without errors or warnings and renders to an SVG
// with marks, in both languages; each chart appears only when its data exist; builders are pure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { applicableCharts, CHARTS } from '../../engine/report/charts/index.ts';
import { reserveThresholds } from '../../engine/report/charts/fund-balance.ts';
import { horizonTotals } from '../../engine/report/charts/outlay-distribution.ts';
import { LANGS } from '../../engine/report/i18n.ts';
import { loadRunDir } from '../../engine/report/load-run-dir.ts';
import { specToSvg } from '../../engine/report/render/svg.ts';
import type { ReportData } from '../../engine/report/run-data.ts';
import { ffsYaml } from '../helpers/payment.ts';
import { makeRunDir, removeDir, withoutRiskAndSensitivity, withRisk, withSensitivity } from './fixture.ts';

function compileQuietly(spec: unknown): { warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  const logger = {
    level: () => logger,
    error: (...a: unknown[]) => (errors.push(a.join(' ')), logger),
    warn: (...a: unknown[]) => (warnings.push(a.join(' ')), logger),
    info: () => logger,
    debug: () => logger,
  };
  compile(spec as Parameters<typeof compile>[0], { logger: logger as never });
  return { warnings, errors };
}

const marksIn = (svg: string) => (svg.match(/class="mark-[a-z]+ role-mark[^"]*"[^>]*>\s*<(path|rect|line|circle|text|g)/g) ?? []).length;

let full: ReportData; // three models, risk and sensitivity sections
let bare: ReportData; // three models, no risk or sensitivity
let ffsOnly: ReportData;
const dirs: string[] = [];

beforeAll(async () => {
  const [a, b, c] = await Promise.all([makeRunDir(), makeRunDir(), makeRunDir(undefined, [ffsYaml()])]);
  dirs.push(a, b, c);
  withRisk(a);
  withSensitivity(a);
  withoutRiskAndSensitivity(b);
  withoutRiskAndSensitivity(c);
  [full, bare, ffsOnly] = [loadRunDir(a), loadRunDir(b), loadRunDir(c)];
});
afterAll(() => dirs.forEach(removeDir));

describe('every chart, both languages', () => {
  it('with all sections present, every chart applies', () => {
    expect(applicableCharts(full).map((c) => c.name).sort()).toEqual(CHARTS.map((c) => c.name).sort());
  });

  for (const lang of LANGS) {
    it(`${lang}: compiles without errors or warnings and renders to an SVG with marks`, async () => {
      for (const chart of CHARTS) {
        const spec = chart.build(full, lang);
        const { warnings, errors } = compileQuietly(spec);
        expect(errors, chart.name).toEqual([]);
        expect(warnings, chart.name).toEqual([]);
        const svg = await specToSvg(spec);
        expect(svg.startsWith('<svg'), chart.name).toBe(true);
        expect(marksIn(svg), chart.name).toBeGreaterThan(0);
      }
    });
  }

  it('titles and axes speak the chosen language, amounts in 万元 / 10k yuan', () => {
    for (const chart of CHARTS) {
      const zh = JSON.stringify(chart.build(full, 'zh'));
      const en = JSON.stringify(chart.build(full, 'en'));
      expect(zh, chart.name).toMatch(/[\u4e00-\u9fff]/);
      expect(en, chart.name).not.toMatch(/[\u4e00-\u9fff]/); // the fixture's own strings are ASCII or escaped
      if (chart.name !== 'point-value') {
        expect(zh, chart.name).toContain('万元');
        expect(en, chart.name).toContain('10k yuan');
      }
    }
    const fan = (lang: 'zh' | 'en') => chart('fund-outlay-fan').build(full, lang) as { title: { text: string } };
    expect(fan('zh').title.text).toBe('各年基金支出（万元）');
    expect(fan('en').title.text).toBe('Fund outlay by year (10k yuan)');
  });

  it('builders are pure: same data, same spec, data untouched', () => {
    const before = JSON.stringify(full);
    for (const c of CHARTS) expect(JSON.stringify(c.build(full, 'zh'))).toBe(JSON.stringify(c.build(full, 'zh')));
    expect(JSON.stringify(full)).toBe(before);
  });
});

const chart = (name: string) => CHARTS.find((c) => c.name === name)!;

describe('a chart only when its data exist', () => {
  it('no risk section → no outlay distribution; no sensitivity → no tornado', () => {
    const names = applicableCharts(bare).map((c) => c.name);
    expect(names).not.toContain('outlay-distribution');
    expect(names).not.toContain('sensitivity-tornado');
    expect(names).toEqual(expect.arrayContaining(['fund-outlay-fan', 'fund-balance', 'model-differences', 'facility-revenue', 'capitation-settlement', 'point-value']));
  });

  it('fee-for-service alone → no capitation, point-value or difference charts', () => {
    expect(applicableCharts(ffsOnly).map((c) => c.name)).toEqual(['fund-outlay-fan', 'fund-balance', 'facility-revenue']);
  });

  it('malformed optional sections are skipped, not trusted', () => {
    const broken = structuredClone(full);
    broken.summary.sensitivity = { output: 'fundOutlay', base: 'x', rows: [{ parameter: 'a' }] };
    broken.summary.models.forEach((m) => (m.risk = { horizon: { outlay: { var: { '0.95': 'high' } } } }));
    const names = applicableCharts(broken).map((c) => c.name);
    expect(names).not.toContain('sensitivity-tornado');
    expect(names).not.toContain('outlay-distribution');
  });

  it('the distribution without replications.csv still draws VaR and TVaR', async () => {
    const noReps: ReportData = { ...full, replications: undefined };
    const spec = chart('outlay-distribution').build(noReps, 'en');
    expect(compileQuietly(spec).errors).toEqual([]);
    expect(marksIn(await specToSvg(spec))).toBeGreaterThan(0);
  });
});

describe('chart data', () => {
  it('horizon totals sum each complete replication over the years', () => {
    const t = horizonTotals(full);
    expect([...t.keys()].sort()).toEqual(['cap', 'ffs', 'pts']);
    const r0 = full.replications!.filter((r) => r.model === 'ffs' && r.replication === 0);
    expect(r0).toHaveLength(3);
    expect(t.get('ffs')).toHaveLength(4);
    expect(t.get('ffs')).toContain(r0.reduce((a, r) => a + r.fundOutlay, 0));
  });

  it('reserve-month bands come from scenario.json ledger.reserveMonths', () => {
    expect(reserveThresholds(full.scenario)).toEqual({ severe: 3, low: 6, normal: 9, excessive: 15 });
    // The tiny fixture region holds years of reserves; put them at 7 months so every band is tall enough for its label.
    const normal = structuredClone(full);
    for (const m of normal.summary.models) for (const y of m.years) y.ledger.reserveMonths = { ...y.ledger.reserveMonths, mean: 7, p5: 6, p95: 8 };
    normal.scenario = { ledger: { reserveMonths: { severe: 2, low: 5, normal: 8, excessive: 12 } } };
    const spec = JSON.stringify(chart('fund-balance').build(normal, 'en'));
    for (const label of ['severe shortage (<2 months)', 'low (2–5 months)', 'normal (5–8 months)', 'above normal (8–12 months)', 'excessive (>12 months)']) expect(spec).toContain(label);
    // Years of reserves squeeze the low bands: their labels are left out rather than drawn on top of each other.
    const squeezed = JSON.stringify(chart('fund-balance').build(full, 'en'));
    expect(squeezed).toContain('excessive (>15 months)');
    expect(squeezed).not.toContain('severe shortage');
  });

  it('the tornado puts the widest swing first and marks the base', () => {
    const spec = chart('sensitivity-tornado').build(full, 'en') as unknown as { data: { values: { parameter: string; swing: number }[] }; layer: { encoding: { y?: { sort?: unknown } } }[] };
    expect(spec.layer[0].encoding.y?.sort).toEqual({ field: 'swing', order: 'descending' });
    const top = [...spec.data.values].sort((a, b) => b.swing - a.swing)[0];
    expect(top.parameter).toContain('utilization.costTrend');
  });
});
