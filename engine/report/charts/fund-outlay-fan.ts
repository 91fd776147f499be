/**
 * Yearly fund outlay fan chart, one panel per payment model on a shared scale: P5–P95 band,
 * P25–P75 band, median line. Answers the finance official's "what will the fund pay, how sure?".
 */
import { fill, strings, type Lang } from '../i18n.ts';
import type { ReportData } from '../run-data.ts';
import { frame, modelLabels, modelScale, replicationsOf, WAN_FORMAT, wan, WIDTH, yearLabel, type ChartDef, type VlSpec } from './common.ts';

export function fundOutlayFanSpec(d: ReportData, lang: Lang): VlSpec {
  const s = strings(lang);
  const c = s.charts.fundOutlayFan;
  const labels = modelLabels(d.summary, lang);
  const values = d.summary.models.flatMap((m) =>
    m.years.map((y) => ({
      model: labels.get(m.name)!,
      year: yearLabel(y.year),
      p5: wan(y.fundOutlay.p5),
      p25: wan(y.fundOutlay.p25),
      p50: wan(y.fundOutlay.p50),
      p75: wan(y.fundOutlay.p75),
      p95: wan(y.fundOutlay.p95),
    })),
  );
  const colors = modelScale(d.summary, lang);
  const nModels = d.summary.models.length;
  const oneYear = d.summary.years.length === 1;
  const x = { field: 'year', type: 'ordinal' as const, title: s.year, axis: { labelAngle: 0 } };
  const color = { field: 'model', type: 'nominal' as const, scale: colors, legend: null };
  const y = (field: string) => ({ field, type: 'quantitative' as const, title: c.axis, scale: { zero: false }, axis: { format: WAN_FORMAT } });
  const tooltip = [
    { field: 'model', title: s.model },
    { field: 'year', title: s.year },
    { field: 'p5', title: 'P5', format: WAN_FORMAT },
    { field: 'p50', title: s.median, format: WAN_FORMAT },
    { field: 'p95', title: 'P95', format: WAN_FORMAT },
  ];
  return {
    ...frame(c.title, fill(c.subtitle, { n: replicationsOf(d) })),
    data: { values },
    facet: { column: { field: 'model', type: 'nominal', title: null, sort: colors.domain } },
    spec: {
      width: Math.max(170, Math.floor((WIDTH - 20 * (nModels - 1)) / nModels)),
      height: 260,
      layer: [
        // A single year has no area to draw: show the intervals as bars on a rule instead.
        oneYear
          ? { mark: { type: 'rule', strokeWidth: 2, opacity: 0.4 }, encoding: { x, y: y('p5'), y2: { field: 'p95' }, color } }
          : { mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: y('p5'), y2: { field: 'p95' }, color } },
        oneYear
          ? { mark: { type: 'rule', strokeWidth: 8, opacity: 0.5 }, encoding: { x, y: y('p25'), y2: { field: 'p75' }, color } }
          : { mark: { type: 'area', opacity: 0.38 }, encoding: { x, y: y('p25'), y2: { field: 'p75' }, color } },
        { mark: { type: 'line', point: true }, encoding: { x, y: y('p50'), color, tooltip } },
      ],
    },
    resolve: { scale: { y: 'shared' } },
  };
}

export const fundOutlayFan: ChartDef = {
  name: 'fund-outlay-fan',
  applies: (d) => d.summary.models.some((m) => m.years.length > 0),
  build: fundOutlayFanSpec,
  question: (lang) => strings(lang).charts.fundOutlayFan.question,
};
