/**
 * The run's summary as readable text tables for `fundcast run --detail` (amounts in 万元 = 10,000
 * yuan, as bureaus report them): per payment model the fund ledger, costs, facility tiers,
 * settlement and tail risk, then sensitivity and paired differences. The one-screen default is
 * headline.ts. Every interval says what it is (P5–P95 of the replications, 95% CI of an estimate);
 * terms are explained in docs/glossary.md, the risk measures in docs/risk.md.
 */
import stringWidth from 'string-width';
import { plugin, type SettlementTable, type Summary } from '../index.ts';

export const wan = (yuan: number) => (yuan / 10_000).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A text table: first column left-aligned, the rest right-aligned; widths by display width (CJK = 2). */
export function render(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i]))));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c + ' '.repeat(w[i] - stringWidth(c)) : ' '.repeat(w[i] - stringWidth(c)) + c)).join('  ').trimEnd();
  return [line(head), w.map((n) => '─'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Reserve months: "exhausted" once the balance is negative; ∞ in a year without outlay. */
export const months = (x: number) => (Number.isFinite(x) ? (x < 0 ? 'exhausted' : x.toFixed(1)) : x === Infinity ? '∞' : x === -Infinity ? 'exhausted' : '—');

export function summaryTables(s: Summary): string {
  const out: string[] = [];
  for (const m of s.models) {
    out.push(`Payment model: ${m.name} (${m.type}) — ${s.replications} replication${s.replications === 1 ? '' : 's'}; amounts in 万元 (10,000 yuan)`);
    out.push('');
    out.push(...ledgerLines(m, s.replications), '');
    out.push('Costs by year (mean, 万元; OOP = patients’ out-of-pocket payments)');
    out.push(
      render(
        ['year', 'patient OOP', 'total cost', 'outpatient fund', 'inpatient fund', 'patients', 'at annual cap'],
        m.years.map((y) => [String(y.year), wan(y.patientOutOfPocket.mean), wan(y.totalCost.mean), wan(y.outpatientFund.mean), wan(y.inpatientFund.mean), Math.round(y.patients.mean).toLocaleString('en-US'), Math.round(y.patientsReachingCap.mean).toLocaleString('en-US')]),
      ),
    );
    out.push('');
    const last = m.years[m.years.length - 1];
    const firstY = m.years[0];
    out.push(`By facility tier (mean, 万元): fund payment / patient out-of-pocket (OOP)`);
    out.push(
      render(
        // first and last year side by side; one year once
        ['tier', ...(firstY === last ? [] : [`fund ${firstY.year}`, `OOP ${firstY.year}`]), `fund ${last.year}`, `OOP ${last.year}`, `visits ${last.year}`],
        s.tiers.map((t) => [
          tierLabel(t),
          ...(firstY === last ? [] : [wan(firstY.byTier[t].fundPayment.mean), wan(firstY.byTier[t].patientOutOfPocket.mean)]),
          wan(last.byTier[t].fundPayment.mean),
          wan(last.byTier[t].patientOutOfPocket.mean),
          Math.round(last.byTier[t].visits.mean).toLocaleString('en-US'),
        ]),
      ),
    );
    out.push('');
    const settle = settlementLines(m.type, m.years);
    if (settle.length) out.push(...settle, '');
    out.push(...riskLines(m.risk, s.replications), '');
  }
  const unreliable = unreliableNote(s);
  if (unreliable) out.push(unreliable, '');
  if (s.sensitivity) out.push(...sensitivityLines(s.sensitivity), '');
  if (s.models.length > 1) out.push(...comparison(s), '');
  return out.join('\n');
}

/** The fund ledger's columns: income, chronic-care budget, outlay and balance, with the probabilities. */
export function ledgerHead(withBalanceRange: boolean): string[] {
  return ['year', 'income', 'budget', 'outlay', 'outlay P5–P95', 'closing balance', ...(withBalanceRange ? ['balance P5–P95'] : []), 'reserve months', 'P(outlay > budget)', 'P(balance < 0)'];
}

/** Year i of model m as a ledger row (万元). */
export function ledgerRow(m: Summary['models'][number], i: number, withBalanceRange: boolean): string[] {
  const y = m.years[i];
  const r = m.risk.byYear[i];
  return [
    String(y.year),
    wan(y.ledger.income.mean),
    wan(y.ledger.budget.mean),
    wan(y.fundOutlay.mean),
    `${wan(y.fundOutlay.p5)}–${wan(y.fundOutlay.p95)}`,
    wan(y.ledger.closingBalance.mean),
    ...(withBalanceRange ? [`${wan(y.ledger.closingBalance.p5)}–${wan(y.ledger.closingBalance.p95)}`] : []),
    months(y.ledger.reserveMonths.p50),
    pct(r.probabilityOverBudget.value),
    pct(r.probabilityNegativeBalance.value),
  ];
}

/** Income, chronic-care budget, outlay and balance in one table, with the probabilities. */
export function ledgerLines(m: Summary['models'][number], replications: number): string[] {
  return [
    `Fund ledger (万元; means over ${replications} replication${replications === 1 ? '' : 's'}; P5–P95 holds 90% of them; budget = income × chronicBudgetShare)`,
    render(ledgerHead(true), m.years.map((_, i) => ledgerRow(m, i, true))),
  ];
}

const ci = (d: { mean: number; low95: number; high95: number }) => `${wan(d.mean)} [${wan(d.low95)}, ${wan(d.high95)}]`;

/** Paired differences of each model against the first: fund outlay by year, facility revenue by tier. */
function comparison(s: Summary): string[] {
  const first = s.models[0];
  const out = [`Paired differences against ${first.name} (same patients and draws; mean [95% CI], 万元)`];
  const rows: string[][] = [];
  for (const m of s.models.slice(1)) {
    for (const y of m.years) {
      const d = y.differenceFromFirst!;
      rows.push([m.name, String(y.year), ci(d.fundOutlay), ...s.tiers.filter((t) => t !== 'offSite').map((t) => ci(d.byTier[t].revenue))]);
    }
  }
  out.push(render(['model', 'year', 'fund outlay', 'village revenue', 'township revenue', 'hospital revenue'], rows));
  return out;
}

/** The payment model's own settlement table (payment/model.ts `settlementTable`), means by year. */
function settlementLines(type: string, years: Summary['models'][number]['years']): string[] {
  const t = plugin(type).settlementTable?.();
  if (!t) return [];
  const fmt = (v: number, f: SettlementTable['columns'][number]['format']) =>
    f === 'wan' ? wan(v) : f === 'ratio' ? v.toFixed(2) : f === 'millions' ? (v / 1e6).toFixed(1) : f === 'fenPerPoint' ? v.toFixed(2) : v.toFixed(0);
  return [t.title, render(['year', ...t.columns.map((c) => c.label)], years.map((y) => [String(y.year), ...t.columns.map((c) => fmt(c.value(y), c.format))]))];
}

function tierLabel(t: string): string {
  return { village: 'village 村卫生室', township: 'township 乡镇卫生院', hospital: 'hospital 二级及以上', offSite: 'off-site 异地' }[t] ?? t;
}

/** VaR/TVaR of the horizon outlay and ruin (docs/risk.md); unreliable figures marked with *. */
function riskLines(r: Summary['models'][number]['risk'], replications: number): string[] {
  const h = r.horizon;
  const from = r.byYear[0].year;
  const to = r.byYear[r.byYear.length - 1].year;
  // A standard error needs two replications; without one, say so rather than print NaN.
  const pm = (x: { value: number; se: number }) => (Number.isFinite(x.se) ? `${wan(x.value)} ± ${wan(x.se)} (SE)` : `${wan(x.value)} ± —`);
  const L = [`Fund risk over ${from}–${to} (万元; docs/risk.md): total outlay ${pm(h.outlay.mean)}; P(balance < 0 in some year) = ${pct(h.ruin.value)} [Wilson 95% CI ${pct(h.ruin.low95)}–${pct(h.ruin.high95)}]`];
  if (replications < 2) {
    L.push('  VaR/TVaR: a single replication has no spread (run more replications, or replay with --bootstrap B)');
    return L;
  }
  L.push(
    '  ' +
      r.levels
        .map((lv) => {
          const v = h.outlay.var[String(lv)];
          const t = h.outlay.tvar[String(lv)];
          return `VaR ${lv} ${wan(v.value)}${v.reliable ? '' : '*'}, TVaR ${wan(t.value)}${t.reliable ? '' : '*'}`;
        })
        .join('; '),
  );
  L.push(...collectiveLines(r));
  return L;
}

/** The collective risk model beside the microsimulation (summary.json risk.collective; docs/risk.md). */
function collectiveLines(r: Summary['models'][number]['risk']): string[] {
  const c = r.collective?.horizon;
  if (!c) return [];
  const f = c.frequency;
  const claims = f.distribution === 'poisson' ? `Poisson(${f.lambda.toFixed(0)})` : `negative binomial(size ${f.size.toPrecision(3)}, mean ${f.mean.toFixed(0)})`;
  const w = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : wan(x));
  return [
    `  Collective risk model of the claims' fund share (docs/risk.md): claims ${claims}, fund per claim gamma(shape ${c.severity.shape.toPrecision(3)}, mean ${c.severity.mean.toFixed(1)} yuan, sd ${c.severity.sd.toFixed(1)}); Panjer [microsimulation of the same]:`,
    '    ' + r.levels.map((lv) => `VaR ${lv} ${w(c.var[String(lv)])} [${w(c.microsimulation.var[String(lv)])}], TVaR ${w(c.tvar[String(lv)])} [${w(c.microsimulation.tvar[String(lv)])}]`).join('; '),
    ...(c.note ? [`    ${c.note}`] : []),
  ];
}

/** One line for every VaR/TVaR figure marked * (not reliable), however many models and levels. */
export function unreliableNote(s: Summary): string | undefined {
  if (s.replications < 2) return undefined;
  const need = new Map<number, number>(); // level → replications needed
  let minTail = 10;
  for (const m of s.models) {
    minTail = m.risk.minTailReplications ?? minTail;
    for (const lv of m.risk.levels) {
      const v = m.risk.horizon.outlay.var[String(lv)];
      if (v && !v.reliable) need.set(lv, Math.ceil(Math.round((minTail / (1 - lv)) * 1e9) / 1e9));
    }
  }
  if (!need.size) return undefined;
  const rows = [...need.entries()].sort((a, b) => a[0] - b[0]);
  const all = s.models.length > 1 ? ' (every model)' : '';
  return `* not reliable${all}: VaR/TVaR at ${rows.map(([lv]) => lv).join(', ')} rest on fewer than ${minTail} replications beyond the level; reliable from ${rows.map(([lv, n]) => `${n.toLocaleString('en-US')} replications (${lv})`).join(', ')}`;
}

function sensitivityLines(s: NonNullable<Summary['sensitivity']>): string[] {
  const fmt = (x: number) => (s.unit === 'yuan' ? wan(x) : x.toFixed(2));
  return [
    `One-way sensitivity of ${s.output} (${s.year === 'horizon' ? 'horizon' : s.year}, model ${s.model}); base ${fmt(s.base)} ${s.unit === 'yuan' ? '万元' : s.unit}`,
    render(
      ['parameter', 'low', 'high', 'output at low', 'output at high', 'swing'],
      s.rows.map((r) => [r.parameter, `${r.low}${r.apply === 'factor' ? '×' : ''}`, `${r.high}${r.apply === 'factor' ? '×' : ''}`, fmt(r.outputLow), fmt(r.outputHigh), fmt(r.swing)]),
    ),
  ];
}
