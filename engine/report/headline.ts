/**
 * The headline answer in words — "will the fund run out, and when?" — and the notes that explain
 * the numbers next to it, for the CLI (English) and the report (zh/en). Pure functions of
 * summary.json's `risk.runOut`, `risk.horizon.ruin` and the ledger; every interval says what it is
 * (Wilson 95% CI of a probability, order-statistic 95% CI of a median, P5–P95 of the replications).
 */
import type { RunOut } from '../risk/run-out.ts';
import type { ShareEstimate } from '../risk/probability.ts';
import { fill, strings, type Lang } from './i18n.ts';

const pct = (x: number, lang: Lang) => `${(x * 100).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;

/** A run-out year in words: the year, or "after YYYY" / "YYYY 年以后". */
export function yearText(y: number | null, lastYear: number, lang: Lang): string {
  const h = strings(lang).headline;
  return y === null ? fill(h.afterHorizon, { last: lastYear }) : fill(h.year, { year: y });
}

/** "first run-out year" cell: the year, or "not by YYYY". */
export function firstYearText(r: RunOut, lang: Lang): string {
  const h = strings(lang).headline;
  return r.firstYear === null ? fill(h.notBy, { last: r.lastYear }) : String(r.firstYear);
}

/** "67.6–100.0%" style Wilson interval. */
export function wilson(p: ShareEstimate, lang: Lang): string {
  return fill(strings(lang).headline.wilson, { low: pct(p.low95, lang), high: pct(p.high95, lang) });
}

/** One sentence per payment model: when the fund runs out, with the probability and intervals. */
export function runOutSentence(model: string, r: RunOut, ruin: ShareEstimate | undefined, lang: Lang): string {
  const h = strings(lang).headline;
  const first = r.probabilityByYear[0]?.year ?? r.lastYear;
  if (r.firstYear === null) {
    const top = r.probabilityByYear.reduce((a, b) => (b.probability.value > a.probability.value ? b : a), r.probabilityByYear[0]);
    return fill(h.doesNotRunOut, {
      model,
      from: first,
      to: r.lastYear,
      highest: pct(top.probability.value, lang),
      highestYear: top.year,
      ruin: ruin ? pct(ruin.value, lang) : '–',
      ruinCI: ruin ? wilson(ruin, lang) : '',
    });
  }
  const p = r.probabilityByYear.find((x) => x.year === r.firstYear)!.probability;
  const medianCI = r.medianInterval
    ? fill(h.medianCI, { low: yearText(r.medianInterval.low, r.lastYear, lang), high: yearText(r.medianInterval.high, r.lastYear, lang) })
    : fill(h.medianCITooFew, { n: r.n });
  return fill(h.runsOut, {
    model,
    year: r.firstYear,
    p: pct(p.value, lang),
    ci: wilson(p, lang),
    median: yearText(r.medianYear, r.lastYear, lang),
    medianCI,
    p5: yearText(r.spread.p5, r.lastYear, lang),
    p95: yearText(r.spread.p95, r.lastYear, lang),
  });
}

/**
 * Why P(outlay > budget) can be 100% while the balance is positive: the budget is one year's share
 * of income; the gap is paid from the balance carried forward. Returned when some year shows it.
 */
export function budgetGapNote(years: { year: number; pOverBudget: number; pNegative: number }[], lang: Lang): string | undefined {
  const gap = years.filter((y) => y.pOverBudget >= 0.5 && y.pNegative < 0.5);
  if (!gap.length) return undefined;
  const h = strings(lang).headline;
  const span = gap.length === 1 ? String(gap[0].year) : `${gap[0].year}–${gap[gap.length - 1].year}`;
  return fill(h.budgetGap, { years: span });
}

/** What the Wilson bracket of P(ruin) means, with this run's numbers. */
export function wilsonNote(ruin: ShareEstimate, lang: Lang): string {
  return fill(strings(lang).headline.wilsonNote, { count: ruin.count, n: ruin.n, p: pct(ruin.value, lang), low: pct(ruin.low95, lang), high: pct(ruin.high95, lang) });
}
