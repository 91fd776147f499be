/**
 * Point value path under point-based payment (F1): the provisional value used for monthly
 * pre-settlement against the final value at year-end clearing, fen per point, per year.
 * A final value below the provisional one means providers were overpaid during the year.
 */
import { strings, type Lang } from '../i18n.ts';
import type { ReportData, ReportModel } from '../run-data.ts';
import { frame, modelLabels, WIDTH, yearLabel, type ChartDef, type VlSpec } from './common.ts';

const hasPoints = (m: ReportModel) => m.years.some((y) => y.settlement?.pointValueFinal !== undefined && y.settlement?.pointValueProvisional !== undefined);

export function pointValueSpec(d: ReportData, lang: Lang): VlSpec {
  const s = strings(lang);
  const c = s.charts.pointValue;
  const labels = modelLabels(d.summary, lang);
  const models = d.summary.models.filter(hasPoints);
  const kinds = [c.provisional, c.final];
  const values = models.flatMap((m) =>
    m.years
      .filter((y) => y.settlement?.pointValueFinal && y.settlement?.pointValueProvisional)
      .flatMap((y) =>
        (['pointValueProvisional', 'pointValueFinal'] as const).map((k, i) => {
          const v = y.settlement[k];
          return { model: labels.get(m.name)!, year: yearLabel(y.year), kind: kinds[i], mean: v.mean, p5: v.p5, p95: v.p95 };
        }),
      ),
  );
  const n = models.length;
  const x = { field: 'year', type: 'ordinal' as const, title: s.year, axis: { labelAngle: 0 } };
  // Colour and dash share one legend, drawn as dashed and solid strokes.
  const legend = { symbolType: 'stroke', symbolStrokeWidth: 3, symbolSize: 400 };
  const color = { field: 'kind', type: 'nominal' as const, title: c.kind, scale: { domain: kinds, range: ['#9d755d', '#4c78a8'] }, legend };
  return {
    ...frame(c.title, c.subtitle),
    data: { values },
    facet: { column: { field: 'model', type: 'nominal', title: null } },
    spec: {
      width: Math.floor((WIDTH - 60 - 20 * (n - 1)) / n),
      height: 240,
      layer: [
        {
          transform: [{ filter: { field: 'kind', equal: c.final } }],
          mark: { type: 'area', opacity: 0.18, color: '#4c78a8' },
          encoding: { x, y: { field: 'p5', type: 'quantitative', title: c.axis, scale: { zero: false } }, y2: { field: 'p95' } },
        },
        {
          mark: { type: 'line', point: true },
          encoding: {
            x,
            y: { field: 'mean', type: 'quantitative' },
            color,
            strokeDash: { field: 'kind', type: 'nominal', title: c.kind, scale: { domain: kinds, range: [[5, 3], [1, 0]] }, legend },
            tooltip: [
              { field: 'year', title: s.year },
              { field: 'kind', title: c.kind },
              { field: 'mean', title: s.mean, format: '.2f' },
              { field: 'p5', title: 'P5', format: '.2f' },
              { field: 'p95', title: 'P95', format: '.2f' },
            ],
          },
        },
      ],
    },
  };
}

export const pointValue: ChartDef = {
  name: 'point-value',
  applies: (d) => d.summary.models.some(hasPoints),
  build: pointValueSpec,
  question: (lang) => strings(lang).charts.pointValue.question,
};
