/** The run's summary as readable text tables (amounts in 万元 = 10,000 yuan, as bureaus report them). */
import { plugin, type SettlementTable } from '../payment/index.ts';
import type { Summary } from '../run/summarize.ts';

const wan = (yuan: number) => (yuan / 10_000).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

function render(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c + ' '.repeat(w[i] - width(c)) : ' '.repeat(w[i] - width(c)) + c)).join('  ');
  return [line(head), w.map((n) => '─'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let n = 0;
  for (const ch of s) n += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1;
  return n;
}

export function summaryTables(s: Summary): string {
  const out: string[] = [];
  for (const m of s.models) {
    out.push(`Payment model: ${m.name} (${m.type}) — ${s.replications} replication${s.replications === 1 ? '' : 's'}; amounts in 万元 (10,000 yuan)`);
    out.push('');
    out.push('Fund outlay by year (基金支出)');
    out.push(
      render(
        ['year', 'mean', 'P5', 'P50', 'P95', 'patient OOP mean', 'total cost mean', 'patients', 'balance P50', 'reserve months P50'],
        m.years.map((y) => [
          String(y.year),
          wan(y.fundOutlay.mean),
          wan(y.fundOutlay.p5),
          wan(y.fundOutlay.p50),
          wan(y.fundOutlay.p95),
          wan(y.patientOutOfPocket.mean),
          wan(y.totalCost.mean),
          Math.round(y.patients.mean).toLocaleString('en-US'),
          wan(y.ledger.closingBalance.p50),
          months(y.ledger.reserveMonths.p50),
        ]),
      ),
    );
    out.push('');
    const last = m.years[m.years.length - 1];
    const firstY = m.years[0];
    out.push(`By facility tier (mean, 万元): fund payment / patient out-of-pocket`);
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
  if (s.sensitivity) out.push(...sensitivityLines(s.sensitivity), '');
  if (s.models.length > 1) out.push(...comparison(s), '');
  return out.join('\n');
}

const ci = (d: { mean: number; low95: number; high95: number }) => `${wan(d.mean)} [${wan(d.low95)}, ${wan(d.high95)}]`;

/** Paired differences of each model against the first: fund outlay by year, facility revenue by tier. */
function comparison(s: Summary): string[] {
  const first = s.models[0];
  const out = [`Paired differences against ${first.name} (same patients and draws; mean [95% interval], 万元)`];
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

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
/** Reserve months; ±∞ in a year without outlay. */
const months = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : x === Infinity ? '∞' : x === -Infinity ? '−∞' : '—');

/** VaR/TVaR of the horizon outlay, deficit and ruin probabilities (F6); unreliable figures marked. */
function riskLines(r: Summary['models'][number]['risk'], replications: number): string[] {
  const L = ['Fund risk (F5/F6): outlays over budget, negative balance; horizon totals (万元)'];
  // A standard error needs two replications; without one, say so rather than print NaN.
  const pm = (x: { value: number; se: number }) => (Number.isFinite(x.se) ? `${wan(x.value)} ± ${wan(x.se)}` : `${wan(x.value)} ± —`);
  L.push(
    render(
      ['year', 'mean ± se', 'P(outlay > budget)', 'P(balance < 0)', 'reserve months'],
      r.byYear.map((y) => [String(y.year), pm(y.outlay.mean), pct(y.probabilityOverBudget.value), pct(y.probabilityNegativeBalance.value), months(y.reserveMonths.mean.value)]),
    ),
  );
  const h = r.horizon;
  L.push(`horizon total outlay: mean ${pm(h.outlay.mean)}; P(ruin: balance < 0 in any year) = ${pct(h.ruin.value)} [${pct(h.ruin.low95)}, ${pct(h.ruin.high95)}]`);
  if (replications < 2) {
    L.push('  VaR/TVaR: a single replication has no spread (run more replications, or replay with --bootstrap B)');
    return L;
  }
  for (const lv of r.levels) {
    const v = h.outlay.var[String(lv)];
    const t = h.outlay.tvar[String(lv)];
    L.push(`  VaR ${lv}: ${wan(v.value)}  TVaR ${lv}: ${wan(t.value)}${v.reliable ? '' : `   (not reliable: ${v.note})`}`);
  }
  return L;
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
