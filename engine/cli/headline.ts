/**
 * The default output of `fundcast run`: one screen a bureau analyst reads top to bottom (≤ 40 lines
 * for three models over eight years) — who and what was run, the headline answer (when the fund
 * runs out), the first model's fund ledger, the models compared with paired differences, and the
 * notes that explain the numbers. `--detail` adds the full tables (table.ts).
 */
import {
  type RunChecks,
  type Summary,
  budgetGapNote,
  firstYearText,
  runOutSentence,
  wilson,
  wilsonNote,
  regionAsRun,
} from '../index.ts';
import { ledgerHead, ledgerRow, months, pct, render, unreliableNote, wan } from './table.ts';

export interface HeadlineContext {
  title: string;
  /** The scenario as run (scenario.json). */
  scenario: unknown;
  seed: number;
  checks?: RunChecks;
}

/** The years the ledger shows: all up to 12, else first, last and every k-th between (the run-out year kept). */
export function shownYears(years: number[], keep: (number | null)[] = []): number[] {
  if (years.length <= 12) return years;
  const k = Math.ceil(years.length / 10);
  return years.filter((y, i) => i === 0 || i === years.length - 1 || i % k === 0 || keep.includes(y));
}

export function headline(s: Summary, ctx: HeadlineContext): string {
  const L: string[] = [];
  const reg = regionAsRun(ctx.scenario);
  const from = s.years[0];
  const to = s.years[s.years.length - 1];
  L.push(ctx.title);
  L.push(
    `${reg.name ?? 'region'}: ${reg.residents?.toLocaleString('en-US') ?? '?'} residents in ${reg.counties.length} ${reg.counties.length === 1 ? 'county/district' : 'counties/districts'}${reg.scale !== 1 ? ` (region.scale ${reg.scale})` : ''}; ${s.years.length} year${s.years.length === 1 ? '' : 's'}, ${from}–${to}; ${s.replications} replication${s.replications === 1 ? '' : 's'}, seed ${ctx.seed}`,
  );
  L.push('');
  L.push('Will the fund run out? (first year in which P(balance < 0) ≥ 50%)');
  for (const m of s.models) L.push(`  ${runOutSentence(m.name, m.risk.runOut, m.risk.horizon.ruin, 'en')}`);
  L.push('');
  const first = s.models[0];
  const years = shownYears(s.years, s.models.map((m) => m.risk.runOut.firstYear));
  L.push(`Fund ledger, ${first.name} (万元 = 10,000 yuan; means over the replications; budget = income × chronicBudgetShare)${years.length < s.years.length ? '; selected years, --detail for all' : ''}`);
  L.push(render(ledgerHead(false), first.years.map((y, i) => (years.includes(y.year) ? ledgerRow(first, i, false) : undefined)).filter((r): r is string[] => r !== undefined)));
  L.push('');
  L.push(`Payment models compared, ${from}–${to} totals (万元; difference: paired on the same patients, mean [95% CI])`);
  L.push(
    render(
      ['model', 'total outlay', `difference from ${first.name}`, `balance ${to}`, 'reserve months', 'runs out', 'P(balance < 0 in some year)'],
      s.models.map((m) => {
        const d = m.horizon.differenceFromFirst?.fundOutlay;
        const last = m.years[m.years.length - 1];
        const ruin = m.risk.horizon.ruin;
        return [
          `${m.name} (${m.type})`,
          wan(m.horizon.fundOutlay.mean),
          d ? (Number.isFinite(d.low95) ? `${wan(d.mean)} [${wan(d.low95)}, ${wan(d.high95)}]` : `${wan(d.mean)} [—]`) : '—',
          wan(last.ledger.closingBalance.mean),
          months(last.ledger.reserveMonths.p50),
          firstYearText(m.risk.runOut, 'en'),
          `${pct(ruin.value)} [${wilson(ruin, 'en').replace('Wilson 95% CI ', '')}]`,
        ];
      }),
    ),
  );
  L.push('');
  const notes = headlineNotes(s, ctx.checks);
  if (notes.length) {
    L.push('Notes');
    for (const n of notes) L.push(`  - ${n}`);
    L.push('');
  }
  L.push('Full tables (costs, facility tiers, settlement, VaR/TVaR, differences by year): --detail. Terms (OOP, VaR/TVaR, reserve months, point value, the intervals): docs/glossary.md');
  return L.join('\n');
}

/** The notes under the headline: the budget gap, the Wilson bracket, unreliable tails, the run's warnings. */
export function headlineNotes(s: Summary, checks?: RunChecks): string[] {
  const notes: string[] = [];
  const first = s.models[0];
  const gap = budgetGapNote(first.risk.byYear.map((y) => ({ year: y.year, pOverBudget: y.probabilityOverBudget.value, pNegative: y.probabilityNegativeBalance.value })), 'en');
  if (gap) notes.push(gap);
  notes.push(wilsonNote(first.risk.horizon.ruin, 'en'));
  if (checks && !checks.warnings.some((w) => w.code === 'opening-balance')) notes.push(`Opening balance ${wan(checks.openingBalance.openingBalance)} 万元 = ${months(checks.openingBalance.reserveMonths)} months of the first year's outlay (${checks.openingBalance.reading}).`);
  const unreliable = unreliableNote(s);
  if (unreliable) notes.push(unreliable.replace(/^\* /, '') + ' (figures in --detail)');
  for (const w of checks?.warnings ?? []) notes.push(`warning: ${w.message}`);
  return notes;
}
