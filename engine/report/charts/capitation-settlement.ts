/**
 * Capitation settlement by party (F3): above zero each party's part of the surplus (village clinics,
 * township centres and lead hospital retain; the fund gets back what is not retained), below zero
 * each party's share of the overspend (lead hospital and fund). Means across replications, per year;
 * one panel per capitation model.
 */
import { PAYMENT_PLUGINS } from '../../payment/index.ts';
import { strings, type Lang } from '../i18n.ts';
import type { ReportData, ReportModel } from '../run-data.ts';
import { frame, modelLabels, TIER_COLORS, WAN_FORMAT, wan, WIDTH, yearLabel, type ChartDef, type VlSpec } from './common.ts';

const PARTIES = ['village', 'township', 'lead', 'fund'] as const;

/** Settlement key → party and sign (+ surplus received, − overspend borne). */
const FLOWS: { key: string; party: (typeof PARTIES)[number]; sign: 1 | -1 }[] = [
  { key: 'villageRetained', party: 'village', sign: 1 },
  { key: 'townshipRetained', party: 'township', sign: 1 },
  { key: 'leadRetained', party: 'lead', sign: 1 },
  { key: 'returnedToFund', party: 'fund', sign: 1 },
  { key: 'leadOverspend', party: 'lead', sign: -1 },
  { key: 'fundOverspend', party: 'fund', sign: -1 },
];

const isCapitation = (m: ReportModel) => m.years.some((y) => y.settlement && FLOWS.some((f) => y.settlement[f.key] !== undefined));

export function capitationSettlementSpec(d: ReportData, lang: Lang): VlSpec {
  const s = strings(lang);
  const c = s.charts.capitationSettlement;
  const labels = modelLabels(d.summary, lang);
  const models = d.summary.models.filter(isCapitation);
  const partyLabels = PARTIES.map((p) => s.parties[p]);
  const values = models.flatMap((m) =>
    m.years.flatMap((y) =>
      FLOWS.filter((f) => y.settlement[f.key] !== undefined).map((f, i) => ({
        model: labels.get(m.name)!,
        year: yearLabel(y.year),
        party: s.parties[f.party],
        order: PARTIES.indexOf(f.party) * 10 + i,
        item: PAYMENT_PLUGINS.find((p) => p.type === m.type)?.figureLabels[f.key]?.[lang] ?? f.key,
        amount: f.sign * wan(y.settlement[f.key].mean),
      })),
    ),
  );
  const n = models.length;
  return {
    ...frame(c.title, c.subtitle),
    data: { values },
    facet: { column: { field: 'model', type: 'nominal', title: null, sort: models.map((m) => labels.get(m.name)!) } },
    spec: {
      width: Math.max(220, Math.floor((WIDTH - 60 - 20 * (n - 1)) / n)),
      height: 280,
      layer: [
        {
          mark: { type: 'bar', width: { band: 0.6 } },
          encoding: {
            x: { field: 'year', type: 'ordinal', title: s.year, axis: { labelAngle: 0 } },
            y: { field: 'amount', type: 'quantitative', title: c.axis, stack: 'zero', axis: { format: WAN_FORMAT } },
            color: { field: 'party', type: 'nominal', title: c.party, scale: { domain: partyLabels, range: [TIER_COLORS[0], TIER_COLORS[1], TIER_COLORS[2], '#7f7f7f'] } },
            order: { field: 'order' },
            tooltip: [
              { field: 'year', title: s.year },
              { field: 'item', title: s.cols.item },
              { field: 'amount', title: s.wan, format: ',.1f' },
            ],
          },
        },
        { mark: { type: 'rule', color: '#333' }, encoding: { y: { datum: 0, type: 'quantitative' } } },
      ],
    },
  };
}

export const capitationSettlement: ChartDef = {
  name: 'capitation-settlement',
  applies: (d) => d.summary.models.some(isCapitation),
  build: capitationSettlementSpec,
  question: (lang) => strings(lang).charts.capitationSettlement.question,
};
