/**
 * Distribution of the fund's total outlay over the horizon, one panel per payment model: a histogram
 * of the replications (from replications.csv) with VaR (solid) and TVaR (dashed) at each level from
 * summary.json's risk section (F6). Shown only when that section exists; without replications.csv
 * the VaR/TVaR lines are drawn alone.
 */
import { fill, strings, type Lang } from '../i18n.ts';
import type { ReportData } from '../run-data.ts';
import { horizonRisk, type HorizonRisk } from '../risk-sections.ts';
import { frame, modelLabels, WAN_FORMAT, wan, WIDTH, type ChartDef, type VlSpec } from './common.ts';

/** Per model, each replication's outlay summed over all years of the run (only complete replications). */
export function horizonTotals(d: ReportData): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (!d.replications) return out;
  const nYears = d.summary.years.length;
  const sums = new Map<string, { total: number; years: number }>();
  for (const r of d.replications) {
    if (!Number.isFinite(r.fundOutlay)) continue;
    const key = `${r.model}\u0000${r.replication}`;
    const s = sums.get(key) ?? { total: 0, years: 0 };
    s.total += r.fundOutlay;
    s.years += 1;
    sums.set(key, s);
  }
  for (const [key, s] of sums) {
    if (s.years !== nYears) continue;
    const model = key.split('\u0000')[0];
    out.set(model, [...(out.get(model) ?? []), s.total]);
  }
  return out;
}

const risks = (d: ReportData): HorizonRisk[] => d.summary.models.map(horizonRisk).filter((r): r is HorizonRisk => r !== undefined);

const pct = (level: string) => `${+(Number(level) * 100).toFixed(2)}%`;

export function outlayDistributionSpec(d: ReportData, lang: Lang): VlSpec {
  const s = strings(lang);
  const c = s.charts.outlayDistribution;
  const labels = modelLabels(d.summary, lang);
  const rs = risks(d);
  const totals = horizonTotals(d);
  const levelLabels = [...new Set(rs.flatMap((r) => r.levels.map((l) => l.level)))].sort((a, b) => Number(a) - Number(b)).map(pct);
  const reps = rs.flatMap((r) => (totals.get(r.model) ?? []).map((v) => ({ model: labels.get(r.model)!, kind: 'rep', value: wan(v) })));
  const marks = rs.flatMap((r) =>
    r.levels.flatMap((l) =>
      (['var', 'tvar'] as const)
        .filter((k) => l[k] !== undefined)
        .map((k) => ({ model: labels.get(r.model)!, kind: k, measure: `${k === 'var' ? 'VaR' : 'TVaR'} ${pct(l.level)}`, level: pct(l.level), value: wan(l[k]!), reliable: l.reliable })),
    ),
  );
  const years = d.summary.years;
  const title = years.length > 1 ? fill(c.title, { from: years[0], to: years[years.length - 1] }) : fill(c.titleOneYear, { from: years[0] });
  const x = { type: 'quantitative' as const, title: c.axis, axis: { format: WAN_FORMAT }, scale: { zero: false } };
  const rule = (kind: 'var' | 'tvar') => ({
    transform: [{ filter: { field: 'kind', equal: kind } }],
    mark: { type: 'rule' as const, strokeWidth: 2, ...(kind === 'tvar' ? { strokeDash: [5, 3] } : {}) },
    encoding: {
      x: { field: 'value', ...x },
      color: { field: 'level', type: 'nominal' as const, title: c.legend, scale: { domain: levelLabels, range: ['#f58518', '#e45756', '#8c1c13'] } },
      opacity: { condition: { test: 'datum.reliable', value: 1 }, value: 0.45 },
      tooltip: [
        { field: 'measure', title: c.measure },
        { field: 'value', title: s.wan, format: ',.0f' },
      ],
    },
  });
  const layers = [
    ...(reps.length
      ? [
          {
            transform: [{ filter: { field: 'kind', equal: 'rep' } }],
            mark: { type: 'bar' as const, color: '#b8c7d9' },
            encoding: {
              x: { field: 'value', bin: { maxbins: 24 }, ...x },
              y: { aggregate: 'count' as const, type: 'quantitative' as const, title: c.count, axis: { tickMinStep: 1 } },
            },
          },
        ]
      : []),
    rule('var'),
    rule('tvar'),
  ];
  return {
    ...frame(title, c.subtitle),
    data: { values: [...reps, ...marks] },
    facet: { row: { field: 'model', type: 'nominal', title: null, sort: rs.map((r) => labels.get(r.model)!), header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top' } } },
    spec: { width: WIDTH - 80, height: 130, layer: layers },
  };
}

export const outlayDistribution: ChartDef = {
  name: 'outlay-distribution',
  applies: (d) => risks(d).length > 0,
  build: outlayDistributionSpec,
  question: (lang) => strings(lang).charts.outlayDistribution.question,
};
