/** Tables of the optional risk and sensitivity sections (absent sections give no table). */
import { modelLabels } from '../charts/common.ts';
import { sensitivityOutputLabel } from '../charts/sensitivity-tornado.ts';
import { strings, type Lang } from '../i18n.ts';
import { collectiveHorizon, horizonRisk, readSensitivity, sensitivityIsAmount, type CollectiveHorizon, type HorizonRisk } from '../risk-sections.ts';
import type { ReportData } from '../run-data.ts';
import { fmtNumber, fmtPercent, fmtWan } from './format.ts';
import { htmlTable, num, type Cell } from './table.ts';
import { escapeHtml } from './escape.ts';

export function riskTable(d: ReportData, lang: Lang): string {
  const s = strings(lang);
  const labels = modelLabels(d.summary, lang);
  const risks = d.summary.models.map(horizonRisk).filter((r): r is HorizonRisk => r !== undefined);
  if (!risks.length) return '';
  const withRuin = risks.some((r) => r.ruin !== undefined);
  const rows: Cell[][] = risks.flatMap((r) =>
    r.levels.map((l) => [
      labels.get(r.model) ?? r.model,
      `${+(Number(l.level) * 100).toFixed(2)}%`,
      num(fmtWan(l.var, lang)),
      num(fmtWan(l.tvar, lang)),
      ...(withRuin ? [num(fmtPercent(r.ruin, lang))] : []),
      l.reliable ? '' : s.tables.riskUnreliable,
    ]),
  );
  const c = s.cols;
  return htmlTable([s.model, c.level, c.var, c.tvar, ...(withRuin ? [c.ruin] : []), c.note], rows, s.tables.risk);
}

/** The collective risk model beside the microsimulation, horizon claims fund (docs/risk.md). */
export function collectiveTable(d: ReportData, lang: Lang): string {
  const s = strings(lang);
  const labels = modelLabels(d.summary, lang);
  const fits = d.summary.models.map(collectiveHorizon).filter((r): r is CollectiveHorizon => r !== undefined);
  if (!fits.length) return '';
  const rows: Cell[][] = fits.flatMap((r) =>
    r.levels.map((l) => [
      labels.get(r.model) ?? r.model,
      `${r.frequency} × gamma (${fmtNumber(r.severityMean, lang, 1)} ± ${fmtNumber(r.severitySd, lang, 1)})`,
      `${+(Number(l.level) * 100).toFixed(2)}%`,
      num(fmtWan(l.var, lang)),
      num(fmtWan(l.tvar, lang)),
      num(fmtWan(l.microVar, lang)),
      num(fmtWan(l.microTvar, lang)),
    ]),
  );
  const c = s.cols;
  return htmlTable([s.model, c.collectiveFit, c.level, c.collectiveVar, c.collectiveTvar, c.microVar, c.microTvar], rows, s.tables.collective) + `\n<p class="note">${escapeHtml(s.tables.collectiveNote)}</p>`;
}

export function sensitivityTable(d: ReportData, lang: Lang): string {
  const s = strings(lang);
  const sens = readSensitivity(d.summary);
  if (!sens) return '';
  const amount = sensitivityIsAmount(sens);
  const out = (x: number) => (amount ? fmtWan(x, lang) : fmtNumber(x, lang, 2));
  const rows: Cell[][] = sens.rows.map((r) => [r.parameter, num(String(r.low)), num(String(r.high)), num(out(r.outputLow)), num(out(r.outputHigh)), num(out(Math.abs(r.outputHigh - r.outputLow)))]);
  const c = s.cols;
  return htmlTable([c.parameter, c.low, c.high, c.outputLow, c.outputHigh, c.swing], rows, `${s.tables.sensitivity}: ${sensitivityOutputLabel(d, sens, lang)}`);
}
