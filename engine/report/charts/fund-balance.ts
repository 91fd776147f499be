/**
 * Fund balance and reserve months (累计结存可支付月数, F5): the closing balance per model (mean,
 * P5–P95), and under it the reserve months against the reading bands of the scenario's
 * `ledger.reserveMonths` thresholds (< severe: severe shortage … > excessive: excessive).
 */
import { fill, strings, type Lang, type Strings } from '../i18n.ts';
import type { ReportData } from '../run-data.ts';
import { frame, modelLabels, modelScale, WAN_FORMAT, wan, WIDTH, yearLabel, type ChartDef, type VlSpec } from './common.ts';

export interface ReserveThresholds {
  severe: number;
  low: number;
  normal: number;
  excessive: number;
}

/** The F5 defaults, used when scenario.json is missing or has no thresholds. */
export const DEFAULT_THRESHOLDS: ReserveThresholds = { severe: 3, low: 6, normal: 9, excessive: 15 };

export function reserveThresholds(scenario: Record<string, unknown> | undefined): ReserveThresholds {
  const t = (scenario?.ledger as { reserveMonths?: Partial<ReserveThresholds> } | undefined)?.reserveMonths;
  const ok = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (!t || !ok(t.severe) || !ok(t.low) || !ok(t.normal) || !ok(t.excessive)) return DEFAULT_THRESHOLDS;
  return { severe: t.severe, low: t.low, normal: t.normal, excessive: t.excessive };
}

const BAND_COLORS = { severe: '#f4c7c3', low: '#fde3b8', normal: '#cfe8cf', aboveNormal: '#dbe7f3', excessive: '#e3dcef' };

function bands(s: Strings, t: ReserveThresholds, lo: number, hi: number) {
  const b = s.charts.reserveBands;
  const v = { severe: t.severe, low: t.low, normal: t.normal, excessive: t.excessive };
  return [
    { key: 'severe', from: lo, to: t.severe, label: fill(b.severe, v) },
    { key: 'low', from: t.severe, to: t.low, label: fill(b.low, v) },
    { key: 'normal', from: t.low, to: t.normal, label: fill(b.normal, v) },
    { key: 'aboveNormal', from: t.normal, to: t.excessive, label: fill(b.aboveNormal, v) },
    { key: 'excessive', from: t.excessive, to: hi, label: fill(b.excessive, v) },
  ].filter((x) => x.to > x.from) as { key: keyof typeof BAND_COLORS; from: number; to: number; label: string }[];
}

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

export function fundBalanceSpec(d: ReportData, lang: Lang): VlSpec {
  const s = strings(lang);
  const c = s.charts.fundBalance;
  const labels = modelLabels(d.summary, lang);
  const colors = modelScale(d.summary, lang);
  const t = reserveThresholds(d.scenario);
  const rows = d.summary.models.flatMap((m) =>
    m.years.map((y) => {
      const b = y.ledger.closingBalance;
      const r = y.ledger.reserveMonths;
      return {
        model: labels.get(m.name)!,
        year: yearLabel(y.year),
        balance: wan(b.mean),
        balanceP5: wan(b.p5),
        balanceP95: wan(b.p95),
        months: finite(r.mean) ? r.mean : null,
        monthsP5: finite(r.p5) ? r.p5 : null,
        monthsP95: finite(r.p95) ? r.p95 : null,
      };
    }),
  );
  const months = rows.flatMap((r) => [r.monthsP5, r.monthsP95, r.months]).filter(finite);
  const lo = Math.min(0, ...months);
  const hi = Math.max(t.excessive + 3, ...months.map((m) => m * 1.08));
  const x = { field: 'year', type: 'ordinal' as const, title: s.year, axis: { labelAngle: 0 } };
  // One legend for lines and bands: drawn as full-colour strokes, not as the pale bands.
  const color = { field: 'model', type: 'nominal' as const, scale: colors, title: s.model, legend: { symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 3 } };
  const width = WIDTH - 60;
  const tooltip = (f: string, title: string, format: string) => [
    { field: 'model', title: s.model },
    { field: 'year', title: s.year },
    { field: f, title, format },
  ];
  const monthsHeight = 220;
  const bandLayers = bands(s, t, lo, hi).flatMap((b) => {
    const rect = { mark: { type: 'rect' as const, color: BAND_COLORS[b.key], opacity: 0.75 }, encoding: { y: { datum: b.from, type: 'quantitative' as const }, y2: { datum: b.to } } };
    const label = {
      mark: { type: 'text' as const, align: 'right' as const, baseline: 'middle' as const, dx: -4, fontSize: 10.5, color: '#555' },
      encoding: { x: { value: width }, y: { datum: (b.from + b.to) / 2, type: 'quantitative' as const }, text: { value: b.label } },
    };
    // A label only where its band is tall enough to hold it.
    return ((b.to - b.from) / (hi - lo)) * monthsHeight >= 14 ? [rect, label] : [rect];
  });
  return {
    ...frame(c.title, c.subtitle),
    data: { values: rows },
    vconcat: [
      {
        width,
        height: 200,
        layer: [
          { mark: { type: 'area', opacity: 0.15 }, encoding: { x, y: { field: 'balanceP5', type: 'quantitative', title: c.balanceAxis, scale: { zero: false }, axis: { format: WAN_FORMAT } }, y2: { field: 'balanceP95' }, color } },
          { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'balance', type: 'quantitative' }, color, tooltip: tooltip('balance', c.balanceAxis, WAN_FORMAT) } },
        ],
      },
      {
        width,
        height: monthsHeight,
        transform: [{ filter: 'isValid(datum.months)' }],
        layer: [
          ...bandLayers,
          { mark: { type: 'area', opacity: 0.2 }, encoding: { x, y: { field: 'monthsP5', type: 'quantitative', title: c.monthsAxis, scale: { domain: [lo, hi], nice: false }, axis: { format: '.0f' } }, y2: { field: 'monthsP95' }, color } },
          { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'months', type: 'quantitative' }, color, tooltip: tooltip('months', c.monthsAxis, '.1f') } },
        ],
      },
    ],
    resolve: { scale: { color: 'shared' } },
  };
}

export const fundBalance: ChartDef = {
  name: 'fund-balance',
  applies: (d) => d.summary.models.some((m) => m.years.some((y) => y.ledger?.closingBalance !== undefined && y.ledger?.reserveMonths !== undefined)),
  build: fundBalanceSpec,
  question: (lang) => strings(lang).charts.fundBalance.question,
};
