/**
 * The report's first section: the answer to "will the fund run out, and when?" per payment model
 * (headline.ts), the notes that explain it (budget gap, the Wilson bracket, the opening balance,
 * warnings), the fund ledger (income, chronic-care budget, outlay, balance, reserve months and the
 * two probabilities) and the models compared on horizon totals. Prose comes from the run's data
 * (region-as-run.ts), never from a scenario's description.
 */
import { modelLabels } from '../charts/common.ts';
import { budgetGapNote, firstYearText, runOutSentence, wilsonNote } from '../headline.ts';
import { fill, strings, type Lang } from '../i18n.ts';
import { regionAsRun } from '../region-as-run.ts';
import { readRunOut, readYearProbabilities } from '../risk-sections.ts';
import type { ReportData, ReportModel } from '../run-data.ts';
import { escapeHtml } from './escape.ts';
import { fmtInterval, fmtMonths, fmtNumber, fmtPercent, fmtWan } from './format.ts';
import { htmlTable, num, type Cell } from './table.ts';

/** One paragraph on the region and horizon as run. */
export function runProse(d: ReportData, lang: Lang): string {
  const s = strings(lang);
  const reg = regionAsRun(d.scenario);
  const years = d.summary.years;
  const labels = modelLabels(d.summary, lang);
  const text = fill(s.headline.prose, {
    region: reg.name ?? d.summary.scenario?.name ?? '',
    residents: fmtNumber(reg.residents, lang),
    counties: reg.counties.length,
    communities: reg.communities,
    from: years[0],
    to: years[years.length - 1],
    years: years.length,
    replications: d.summary.replications,
    models: d.summary.models.map((m) => labels.get(m.name) ?? m.name).join(lang === 'zh' ? '、' : ', '),
  });
  const o = d.summary.openingBalance;
  const scaled = reg.scale !== 1 && o ? ' ' + fill(s.headline.scaled, { scale: reg.scale, opening: fmtWan(o.openingBalance, lang), months: fmtMonths(o.reserveMonths, lang) }) : '';
  return `<p class="desc">${escapeHtml(text + scaled)}</p>`;
}

function warningText(d: ReportData, code: string, message: string, lang: Lang): string {
  const h = strings(lang).headline;
  const o = d.summary.openingBalance;
  const t = (d.scenario?.ledger as { reserveMonths?: Record<string, number> } | undefined)?.reserveMonths ?? { severe: 3, low: 6, normal: 9, excessive: 15 };
  if (code === 'opening-balance' && o) {
    const side = o.reserveMonths < t.severe ? fill(h.belowSevere, t) : fill(h.aboveExcessive, t);
    return fill(h.openingWarning, { ...t, opening: fmtWan(o.openingBalance, lang), months: fmtNumber(o.reserveMonths, lang, 1), side });
  }
  if (code === 'few-replications') {
    const n = d.summary.replications;
    return n === 1 ? h.oneReplication : fill(h.fewReplications, { n, min: 20, step: fmtPercent(1 / n, lang) });
  }
  return message;
}

function ledgerTable(d: ReportData, lang: Lang): string {
  const s = strings(lang);
  const c = s.cols;
  const labels = modelLabels(d.summary, lang);
  const rows: Cell[][] = d.summary.models.flatMap((m) => {
    const probs = readYearProbabilities(m);
    return m.years.map((y, i) => [
      labels.get(m.name) ?? m.name,
      String(y.year),
      num(fmtWan(y.ledger?.income?.mean, lang)),
      num(fmtWan(y.ledger?.budget?.mean, lang)),
      num(fmtWan(y.fundOutlay.mean, lang)),
      num(`${fmtWan(y.fundOutlay.p5, lang)}–${fmtWan(y.fundOutlay.p95, lang)}`),
      num(fmtWan(y.ledger?.closingBalance?.mean, lang)),
      num(fmtMonths(y.ledger?.reserveMonths?.p50, lang)),
      num(fmtPercent(probs?.[i]?.pOverBudget, lang)),
      num(fmtPercent(probs?.[i]?.pNegative ?? y.ledger?.probabilityNegativeBalance, lang)),
    ]);
  });
  const model = d.summary.models.length === 1 ? labels.get(d.summary.models[0].name) ?? '' : d.summary.models.map((m) => labels.get(m.name)).join(lang === 'zh' ? '、' : ', ');
  return htmlTable([s.model, s.year, c.income, c.chronicBudget, c.outlay, c.outlayRange, c.closingBalance, c.reserveMonths, c.pOverBudget, c.probNegative], rows, fill(s.tables.ledger, { model }), s.tables.ledgerNote);
}

function comparisonTable(d: ReportData, lang: Lang): string {
  const s = strings(lang);
  const c = s.cols;
  const labels = modelLabels(d.summary, lang);
  const years = d.summary.years;
  const rows: Cell[][] = d.summary.models.map((m: ReportModel) => {
    const h = m.horizon;
    const diff = h?.differenceFromFirst?.fundOutlay;
    const ro = readRunOut(m);
    const last = m.years[m.years.length - 1];
    return [
      labels.get(m.name) ?? m.name,
      num(fmtWan(h?.fundOutlay?.mean, lang)),
      num(diff ? fmtInterval(diff.mean, diff.low95, diff.high95, lang) : '–'),
      num(fmtWan(last.ledger?.closingBalance?.mean, lang)),
      num(ro ? firstYearText(ro.runOut, lang) : '–'),
      num(ro?.ruin ? `${fmtPercent(ro.ruin.value, lang)} [${fmtPercent(ro.ruin.low95, lang)}–${fmtPercent(ro.ruin.high95, lang)}]` : '–'),
    ];
  });
  const first = labels.get(d.summary.models[0].name) ?? d.summary.models[0].name;
  return htmlTable(
    [s.model, c.totalOutlay, `${c.difference} (${first}) [${c.ci95}]`, `${c.closingBalance} ${years[years.length - 1]}`, c.runOutYear, c.ruin],
    rows,
    fill(s.tables.comparison, { from: years[0], to: years[years.length - 1] }),
    s.tables.comparisonNote,
  );
}

export function headlineSection(d: ReportData, lang: Lang): string {
  const s = strings(lang);
  const labels = modelLabels(d.summary, lang);
  const answers = d.summary.models
    .map((m) => ({ m, r: readRunOut(m) }))
    .filter((x) => x.r)
    .map(({ m, r }) => `<li>${escapeHtml(runOutSentence(labels.get(m.name) ?? m.name, r!.runOut, r!.ruin, lang))}</li>`);
  const notes: string[] = [];
  const first = d.summary.models[0];
  const probs = readYearProbabilities(first);
  const gap = probs && budgetGapNote(probs, lang);
  if (gap) notes.push(gap);
  const ruin = readRunOut(first)?.ruin;
  if (ruin) notes.push(wilsonNote(ruin, lang));
  const o = d.summary.openingBalance;
  const warnings = d.summary.warnings ?? [];
  if (o && !warnings.some((w) => w.code === 'opening-balance')) notes.push(fill(s.headline.opening, { opening: fmtWan(o.openingBalance, lang), months: fmtNumber(o.reserveMonths, lang, 1), reading: s.headline.readings[o.reading] ?? o.reading }));
  const warn = warnings.map((w) => `<li class="warning">${escapeHtml(warningText(d, w.code, w.message, lang))}</li>`);
  return [
    `<h3>${escapeHtml(s.headline.question)}</h3>`,
    answers.length ? `<ul class="headline">${answers.join('')}</ul>` : '',
    notes.length || warn.length ? `<ul class="notes">${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}${warn.join('')}</ul>` : '',
    ledgerTable(d, lang),
    d.summary.models.some((m) => m.horizon) ? comparisonTable(d, lang) : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** Short definitions of the terms the page uses (docs/glossary.md has the long form). */
export function glossarySection(lang: Lang): string {
  const items = strings(lang).glossary.items;
  return `<dl class="glossary">${items.map(([term, def]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(def)}</dd>`).join('')}</dl>`;
}
