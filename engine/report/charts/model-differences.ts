/**
 * Paired differences from the first payment model (summary.json `differenceFromFirst`: this model
 * minus the first on the same replications, with a 95% t-interval): fund outlay and patient
 * out-of-pocket per year, a point with its interval; an interval that misses zero is a real
 * difference, not noise.
 */
import { fill, strings, type Lang } from '../i18n.ts';
import type { ReportData } from '../run-data.ts';
import { frame, modelLabels, modelScale, WAN_FORMAT, wan, WIDTH, yearLabel, type ChartDef, type VlSpec } from './common.ts';

const MEASURES = ['fundOutlay', 'patientOutOfPocket'] as const;

const finiteOrNull = (x: number | null | undefined) => (typeof x === 'number' && Number.isFinite(x) ? wan(x) : null);

export function modelDifferencesSpec(d: ReportData, lang: Lang): VlSpec {
  const s = strings(lang);
  const c = s.charts.modelDifferences;
  const labels = modelLabels(d.summary, lang);
  const compared = d.summary.models.filter((m) => m.years.some((y) => y.differenceFromFirst));
  const first = compared[0].years.find((y) => y.differenceFromFirst)!.differenceFromFirst!.against;
  const colors = modelScale(d.summary, lang, compared.map((m) => m.name));
  const values = compared.flatMap((m) =>
    m.years
      .filter((y) => y.differenceFromFirst)
      .flatMap((y) =>
        MEASURES.filter((k) => y.differenceFromFirst![k]).map((k) => {
          const p = y.differenceFromFirst![k];
          return { model: labels.get(m.name)!, year: yearLabel(y.year), measure: s.measures[k], mean: wan(p.mean), low: finiteOrNull(p.low95), high: finiteOrNull(p.high95) };
        }),
      ),
  );
  const nRows = new Set(values.map((v) => v.year)).size;
  const y = { field: 'year', type: 'ordinal' as const, title: s.year };
  const yOffset = { field: 'model', type: 'nominal' as const, sort: colors.domain };
  const color = { field: 'model', type: 'nominal' as const, scale: colors, title: s.model };
  return {
    ...frame(fill(c.title, { first: labels.get(first) ?? first }), c.subtitle),
    data: { values },
    facet: { column: { field: 'measure', type: 'nominal', title: null, sort: MEASURES.map((k) => s.measures[k]) } },
    spec: {
      width: Math.floor((WIDTH - 100) / 2),
      height: nRows * (compared.length * 16 + 14),
      layer: [
        { mark: { type: 'rule', color: '#888', strokeDash: [3, 3] }, encoding: { x: { datum: 0, type: 'quantitative' } } },
        {
          transform: [{ filter: 'isValid(datum.low) && isValid(datum.high)' }],
          mark: { type: 'rule', strokeWidth: 2 },
          encoding: { y, yOffset, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' }, color },
        },
        {
          mark: { type: 'point', filled: true, size: 60, opacity: 1 },
          encoding: {
            y,
            yOffset,
            x: { field: 'mean', type: 'quantitative', title: c.axis, axis: { format: WAN_FORMAT, tickCount: 5 } },
            color,
            tooltip: [
              { field: 'model', title: s.model },
              { field: 'year', title: s.year },
              { field: 'measure', title: c.measure },
              { field: 'mean', title: s.mean, format: ',.1f' },
              { field: 'low', title: s.cols.ciLow, format: ',.1f' },
              { field: 'high', title: s.cols.ciHigh, format: ',.1f' },
            ],
          },
        },
      ],
    },
    resolve: { scale: { x: 'independent' } },
  };
}

export const modelDifferences: ChartDef = {
  name: 'model-differences',
  applies: (d) => d.summary.models.some((m) => m.years.some((y) => y.differenceFromFirst)),
  build: modelDifferencesSpec,
  question: (lang) => strings(lang).charts.modelDifferences.question,
};
