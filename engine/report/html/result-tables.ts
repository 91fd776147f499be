/**
 * The report's key tables from summary.json: fund outlay by year per model, facility tiers,
 * settlement figures, paired differences. Amounts in 万元.
 */
import { PAYMENT_PLUGINS, type FigureLabel } from '../../payment/index.ts';
import { fill, strings, type Lang } from '../i18n.ts';
import { modelLabels, tierLabel } from '../charts/common.ts';
import { TIER_KEYS, type ReportData } from '../run-data.ts';
import { fmtInterval, fmtMonths, fmtNumber, fmtPercent, fmtWan } from './format.ts';
import { htmlTable, num, type Cell } from './table.ts';

export function outlayTable(d: ReportData, lang: Lang): string {
  const s = strings(lang);
  const labels = modelLabels(d.summary, lang);
  const rows: Cell[][] = d.summary.models.flatMap((m) =>
    m.years.map((y) => [
      labels.get(m.name)!,
      String(y.year),
      num(fmtWan(y.fundOutlay.mean, lang)),
      num(fmtWan(y.fundOutlay.p5, lang)),
      num(fmtWan(y.fundOutlay.p50, lang)),
      num(fmtWan(y.fundOutlay.p95, lang)),
      num(fmtWan(y.patientOutOfPocket.mean, lang)),
      num(fmtMonths(y.ledger?.reserveMonths?.mean, lang)),
      num(fmtPercent(y.ledger?.probabilityNegativeBalance, lang)),
    ]),
  );
  const c = s.cols;
  return htmlTable([s.model, s.year, c.mean, c.p5, c.p50, c.p95, c.patientOop, c.reserveMonths, c.probNegative], rows, s.tables.outlay, s.tables.outlayNote);
}

export function tiersTable(d: ReportData, lang: Lang): string {
  const s = strings(lang);
  const c = s.cols;
  const labels = modelLabels(d.summary, lang);
  const rows: Cell[][] = d.summary.models.flatMap((m) =>
    m.years.flatMap((y) =>
      TIER_KEYS.filter((t) => y.byTier?.[t]).map((t) => {
        const f = y.byTier[t]!;
        return [
          labels.get(m.name)!,
          String(y.year),
          tierLabel(s, t),
          num(fmtWan(f.fundPayment?.mean, lang)),
          num(fmtWan(f.otherFunding?.mean, lang)),
          num(fmtWan(f.patientOutOfPocket?.mean, lang)),
          num(fmtWan(f.totalCost?.mean, lang)),
          num(fmtWan(f.revenue?.mean, lang)),
          num(fmtWan(f.margin?.mean, lang)),
          num(fmtNumber(f.visits?.mean, lang)),
        ];
      }),
    ),
  );
  return htmlTable([s.model, s.year, s.tier, c.fundPayment, c.otherFunding, c.patientOop, c.totalCost, c.revenue, c.margin, c.visits], rows, s.tables.tiers);
}

/** A settlement figure's label and unit, as its payment model declares them (payment/model.ts `figureLabels`). */
export function figureLabel(type: string, key: string): FigureLabel {
  return PAYMENT_PLUGINS.find((p) => p.type === type)?.figureLabels[key] ?? { zh: key, en: key, unit: 'yuan' };
}

function settlementCell(unit: FigureLabel['unit'], mean: number | undefined, lang: Lang): string {
  if (unit === 'fenPerPoint' || unit === 'ratio') return fmtNumber(mean, lang, 2);
  // Means of counts over replications keep one decimal unless whole.
  if (unit === 'count') return fmtNumber(mean, lang, mean !== undefined && !Number.isInteger(mean) && Math.abs(mean) < 1e5 ? 1 : 0);
  return fmtWan(mean, lang);
}

/** One table per model that has settlement figures: a row per figure, a column per year (means). */
export function settlementTables(d: ReportData, lang: Lang): string {
  const s = strings(lang);
  const labels = modelLabels(d.summary, lang);
  return d.summary.models
    .filter((m) => m.years.some((y) => y.settlement && Object.keys(y.settlement).length))
    .map((m) => {
      const keys = [...new Set(m.years.flatMap((y) => Object.keys(y.settlement ?? {})))];
      const rows: Cell[][] = keys.map((k) => {
        const f = figureLabel(m.type, k);
        const label = f[lang] + (f.unit === 'yuan' ? (lang === 'zh' ? `（${s.wan}）` : ` (${s.wan})`) : '');
        return [label, ...m.years.map((y) => num(settlementCell(f.unit, y.settlement?.[k]?.mean, lang)))];
      });
      return htmlTable([s.cols.item, ...m.years.map((y) => String(y.year))], rows, `${s.tables.settlement} — ${labels.get(m.name)}`);
    })
    .join('\n');
}

export function differencesTable(d: ReportData, lang: Lang): string {
  const s = strings(lang);
  const labels = modelLabels(d.summary, lang);
  const rows: Cell[][] = d.summary.models.flatMap((m) =>
    m.years
      .filter((y) => y.differenceFromFirst)
      .map((y) => {
        const p = y.differenceFromFirst!;
        return [
          labels.get(m.name)!,
          labels.get(p.against) ?? p.against,
          String(y.year),
          num(fmtInterval(p.fundOutlay.mean, p.fundOutlay.low95, p.fundOutlay.high95, lang)),
          num(fmtInterval(p.patientOutOfPocket.mean, p.patientOutOfPocket.low95, p.patientOutOfPocket.high95, lang)),
        ];
      }),
  );
  if (!rows.length) return '';
  const col = (k: string) => fill('{m}: {d} [{ci}]', { m: s.measures[k], d: s.cols.difference, ci: s.cols.ci95 });
  return htmlTable([s.model, s.cols.against, s.year, col('fundOutlay'), col('patientOutOfPocket')], rows, s.tables.differences);
}
