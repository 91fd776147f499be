/**
 * Facility revenue by tier under each payment model side by side (mean bar, P5–P95 line), one panel
 * per year: who gains and who loses when the payment model changes.
 */
import { strings, type Lang } from '../i18n.ts';
import { TIER_KEYS, type ReportData } from '../run-data.ts';
import { frame, modelLabels, modelScale, tierLabel, tierOrder, WAN_FORMAT, wan, WIDTH, type ChartDef, type VlSpec } from './common.ts';

export function facilityRevenueSpec(d: ReportData, lang: Lang): VlSpec {
  const s = strings(lang);
  const c = s.charts.facilityRevenue;
  const labels = modelLabels(d.summary, lang);
  const colors = modelScale(d.summary, lang);
  const values = d.summary.models.flatMap((m) =>
    m.years.flatMap((y) =>
      TIER_KEYS.filter((t) => y.byTier?.[t]?.revenue).map((t) => {
        const r = y.byTier[t]!.revenue;
        return { model: labels.get(m.name)!, year: y.year, tier: tierLabel(s, t), mean: wan(r.mean), p5: wan(r.p5), p95: wan(r.p95) };
      }),
    ),
  );
  const nYears = new Set(values.map((v) => v.year)).size;
  const columns = Math.min(nYears, 3);
  const nModels = d.summary.models.length;
  const y = { field: 'tier', type: 'nominal' as const, title: null, sort: tierOrder(s) };
  const yOffset = { field: 'model', type: 'nominal' as const, sort: colors.domain };
  const x = { field: 'mean', type: 'quantitative' as const, title: c.axis, axis: { format: WAN_FORMAT, tickCount: 4 } };
  return {
    ...frame(c.title, c.subtitle),
    data: { values },
    facet: { field: 'year', type: 'ordinal', title: null, header: { labelFontSize: 13 } },
    columns,
    spec: {
      width: Math.floor((WIDTH - 130 - 20 * (columns - 1)) / columns),
      height: TIER_KEYS.length * (nModels * 9 + 10),
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            y,
            yOffset,
            x,
            color: { field: 'model', type: 'nominal', scale: colors, title: s.model },
            tooltip: [
              { field: 'year', title: s.year },
              { field: 'tier', title: s.tier },
              { field: 'model', title: s.model },
              { field: 'mean', title: s.mean, format: ',.1f' },
              { field: 'p5', title: 'P5', format: ',.1f' },
              { field: 'p95', title: 'P95', format: ',.1f' },
            ],
          },
        },
        { mark: { type: 'rule', color: '#222', strokeWidth: 1 }, encoding: { y, yOffset, x: { field: 'p5', type: 'quantitative' }, x2: { field: 'p95' } } },
      ],
    },
  };
}

export const facilityRevenue: ChartDef = {
  name: 'facility-revenue',
  applies: (d) => d.summary.models.some((m) => m.years.some((y) => TIER_KEYS.some((t) => y.byTier?.[t]?.revenue))),
  build: facilityRevenueSpec,
  question: (lang) => strings(lang).charts.facilityRevenue.question,
};
