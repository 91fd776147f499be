/**
 * `fundcast explain`: one year's settlement step by step — the inputs, each rule applied with its
 * parameter value and source, and the amounts — for one facility under one payment model, or one
 * patient's claims under the benefit rules.
 */
import {
  Errors,
  fenToYuan,
  DEFAULT_SCENARIO,
  loadScenario,
  asDated,
  at,
  type DatedInput,
  OFF_SITE,
  TIERS,
  type ScenarioFile,
  applyOverrides,
  plugin,
  synthesizeBlock,
  compile,
  simulateBlocks,
  type Compiled,
  paymentInput,
  type ClaimTrace,
  type PatientYearTrace,
  Metric,
} from '../index.ts';
import { intFlag, parse } from './args.ts';

export const explainHelp = `fundcast explain [SCENARIO] (--facility ID | --patient ID) [options]

Print one year's settlement step by step: the inputs, each rule applied with its parameter value
and source, and the amounts (yuan).

  --facility ID      a facility id (see facilities.csv of a run, e.g. wanzhi-1-t01-v01, wanzhi-1-lead)
  --patient ID       a patient id, BLOCK:INDEX (e.g. 12:40 = patient 40 of block 12; blocks are township catchments)
  --model NAME       payment model (default: the scenario's first)
  --year Y           calendar year in the horizon (default: the first)
  --replication R    replication (default: 0)
  --seed S           random seed (default: the scenario's)
  -h, --help         this help
`;

const y = (fen: number) => fenToYuan(fen).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function param<T>(name: string, p: DatedInput<T> | undefined, year: number, show: (v: T) => string = (v) => String(v)): string {
  if (!p) return `${name} = (not set)`;
  return `${name} = ${show(at(p, year))} ${p.unit}   [source: ${asDated(p).source}]`;
}

export async function explainCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { facility: { type: 'string' }, patient: { type: 'string' }, model: { type: 'string' }, year: { type: 'string' }, replication: { type: 'string' }, seed: { type: 'string' } }, 1);
  if (values.help) {
    process.stdout.write(explainHelp);
    return 0;
  }
  if ((values.facility === undefined) === (values.patient === undefined)) throw Errors.Usage('explain: give exactly one of --facility ID or --patient ID (see --help)');
  const loaded = loadScenario(positionals[0] ?? DEFAULT_SCENARIO);
  const s = applyOverrides(loaded.scenario, { seed: intFlag(values, 'seed', 0, Number.MAX_SAFE_INTEGER) });
  const c = compile(s);
  const rep = intFlag(values, 'replication', 0, s.replications - 1) ?? 0;
  const year = intFlag(values, 'year', c.horizonYears[0], c.horizonYears[c.horizonYears.length - 1]) ?? c.horizonYears[0];
  const yi = c.years.indexOf(year);
  const out = values.facility !== undefined ? explainFacility(c, String(values.facility), values.model as string | undefined, year, yi, rep) : explainPatient(c, String(values.patient), year, yi, rep);
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}

function explainFacility(c: Compiled, id: string, modelName: string | undefined, year: number, yi: number, rep: number): string[] {
  const s = c.scenario;
  const f = c.region.facilities.findIndex((x) => x.id === id);
  if (f < 0) throw Errors.BadFlag('facility', `no facility "${id}" (ids look like ${c.region.facilities[0].id}, ${c.region.communities[0].id}-lead, city-h1, off-site)`);
  const mi = modelName === undefined ? 0 : s.paymentModels.findIndex((m) => m.name === modelName);
  if (mi < 0) throw Errors.BadFlag('model', `no payment model "${modelName}" (models: ${s.paymentModels.map((m) => m.name).join(', ')})`);
  const spec = s.paymentModels[mi];
  const fac = c.region.facilities[f];
  const all = simulateBlocks(c, rep, 0, c.region.blocks.length);
  const input = paymentInput(c, all, mi, yi);
  const agg = input.agg;
  const nF = c.region.facilities.length;
  const nm = c.layout.nm;
  const metric = (k: number | string, fi = f, yy = yi) => agg[(yy * nF + fi) * nm + (typeof k === 'string' ? c.layout.slot[k] : k)];
  const m = (k: number) => metric(k);
  const p = plugin(spec.type);
  const pay = p.create(spec, s, c.region).payYear(input);
  const L: string[] = [];
  L.push(`Facility ${fac.id} — ${fac.name} (tier: ${fac.offSite ? 'off-site' : fac.tier}${fac.lead ? ', lead hospital' : ''})`);
  L.push(`Scenario ${s.name}, payment model ${spec.name} (${spec.type}), year ${year}, replication ${rep}, seed ${s.seed}`);
  L.push('');
  L.push('1. Claims at this facility (adjudicated by the benefit rules, F4 of docs/model.md)');
  L.push(`   outpatient visits ${m(Metric.visits)} (refills ${m(Metric.refillVisits)}), cost ${y(m(Metric.opCost))}, eligible ${y(m(Metric.opEligible))}, fund share ${y(m(Metric.opFund))}`);
  L.push(`   admissions ${m(Metric.admissions)}, cost ${y(m(Metric.ipCost))}, fund share ${y(m(Metric.ipFund))}`);
  L.push(`   patients pay ${y(m(Metric.opCost) + m(Metric.ipCost) - m(Metric.opFund) - m(Metric.ipFund))}`);
  L.push('');
  L.push(...p.explain({ spec, scenario: s, result: pay, input, f, metric, param: (name, prm, show) => param(name, prm as DatedInput<never> | undefined, year, show as ((v: never) => string) | undefined), yuan: y }));
  return L;
}

function explainPatient(c: Compiled, id: string, year: number, yi: number, rep: number): string[] {
  const s: ScenarioFile = c.scenario;
  const m = /^(\d+):(\d+)$/.exec(id);
  if (!m) throw Errors.BadFlag('patient', `a patient id is BLOCK:INDEX, e.g. 12:40; got "${id}"`);
  const b = Number(m[1]);
  const p = Number(m[2]);
  if (b >= c.region.blocks.length) throw Errors.BadFlag('patient', `block ${b} does not exist (0–${c.region.blocks.length - 1})`);
  const pop = synthesizeBlock(c, rep, b);
  if (p >= pop.n) throw Errors.BadFlag('patient', `block ${b} has ${pop.n} patients in replication ${rep} (0–${pop.n - 1})`);
  const claims: ClaimTrace[] = [];
  let summary: PatientYearTrace | undefined;
  simulateBlocks(c, rep, b, b + 1, (e) => {
    if (e.patient !== p || e.yearIndex !== yi) return;
    if (e.kind === 'patientYear') summary = e;
    else claims.push(e);
  });
  const fac = (i: number) => c.region.facilities[i].id;
  const cond = Object.keys(s.population.prevalence).filter((_, i) => (pop.conditions[p] & (1 << i)) !== 0).join(' + ');
  const L: string[] = [];
  L.push(`Patient ${id} (block ${b}, township ${fac(c.region.blocks[b].township)}), replication ${rep}, year ${year}, seed ${s.seed}`);
  L.push(`  age ${yi - pop.birth[p]} in ${year}, ${pop.male[p] ? 'male' : 'female'}, ${pop.urban[p] ? 'urban' : 'rural'}; ${cond}; ${pop.signed[p] ? `signed with a family doctor at ${pop.urban[p] ? fac(pop.township[p]) : fac(pop.village[p])}` : 'not signed'}`);
  L.push(`  home village clinic ${fac(pop.village[p])}; hospital ${fac(pop.hospital[p])}`);
  if (!summary) {
    L.push(`  not in the benefit in ${year} (registered ${c.years[pop.entry[p]] ?? '—'}, left ${c.years[pop.exit[p]] ?? 'after the horizon'})`);
    return L;
  }
  const b0 = s.benefits;
  L.push('');
  L.push('Benefit rules in force (F4: fund = min(cap left, max(0, eligible − deductible left) × (ratio − off-site reduction)))');
  L.push(`  ${param('deductible', b0.deductible, year)}`);
  L.push(`  ${param('annualCap', b0.annualCap, year)}`);
  L.push(`  ${param('ratio', b0.ratio, year, (v) => TIERS.map((t) => `${t} ${v[t]}`).join(', '))}`);
  L.push(`  ${param('offSiteReduction', b0.offSiteReduction, year, (v) => OFF_SITE.map((k) => `${k} ${v[k]}`).join(', '))}`);
  L.push(`  ${param('signingWaivesDeductible', b0.signingWaivesDeductible, year)}`);
  L.push(`  ${param('eligibleShare', s.utilization.eligibleShare, year)}`);
  L.push('');
  L.push('month  setting     facility                     cost    eligible  deductible  ratio   fund    patient');
  for (const e of claims) {
    const where = e.offSite >= 0 ? `off-site (${OFF_SITE[e.offSite]})` : fac(e.facility);
    L.push(
      `${String(e.month).padStart(5)}  ${(e.kind === 'inpatient' ? 'inpatient' : e.refill ? 'refill' : 'visit').padEnd(10)}  ${where.padEnd(26)} ${y(e.costFen).padStart(9)} ${y(e.eligibleFen).padStart(10)} ${(e.waived ? 'waived' : y(e.deductibleFen)).padStart(11)}  ${e.ratio.toFixed(2)} ${y(e.fundFen).padStart(8)} ${y(e.patientFen).padStart(9)}`,
    );
  }
  L.push('');
  L.push(`Year: cost ${y(summary.costFen)}, fund ${y(summary.fundFen)} (outpatient ${y(summary.opFundFen)} of cap ${y(summary.capFen)}), patient ${y(summary.patientFen)}`);
  return L;
}
