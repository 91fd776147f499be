/**
 * `fundcast explain`: one year's settlement step by step — the inputs, each rule applied with its
 * parameter value and source, and the amounts — for one facility under one payment model, or one
 * patient's claims under the benefit rules.
 */
import { Errors } from '../errors.ts';
import { fenToYuan } from '../money/fen.ts';
import { DEFAULT_SCENARIO, loadScenario } from '../params/load.ts';
import { asDated, at, type DatedInput } from '../params/param.ts';
import { OFF_SITE, TIERS, type ScenarioFile } from '../params/schema.ts';
import { applyOverrides } from '../run/run-scenario.ts';
import { paymentModel } from '../payment/index.ts';
import { facilityPoints } from '../payment/points/pay.ts';
import { compileFormula } from '../params/formula.ts';
import { CAPABILITY_VARIABLES } from '../params/rules.ts';
import { synthesizeBlock } from '../population/synthesize.ts';
import { compile, simulateBlocks, type Compiled } from '../run/simulate.ts';
import type { ClaimTrace, PatientYearTrace } from '../utilization/kernel.ts';
import { Metric, NM } from '../utilization/metrics.ts';
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
  const v = c.modelVariant[mi];
  const agg = all.subarray(v * c.aggSize, (v + 1) * c.aggSize);
  const nF = c.region.facilities.length;
  const m = (k: number, fi = f, yy = yi) => agg[(yy * nF + fi) * NM + k];
  const pay = paymentModel(spec, c.region).payYear({ region: c.region, agg, yearIndex: yi, year, years: c.years, horizonStart: c.horizonStart, costIndex: c.kp.costIndex });
  const L: string[] = [];
  L.push(`Facility ${fac.id} — ${fac.name} (tier: ${fac.offSite ? 'off-site' : fac.tier}${fac.lead ? ', lead hospital' : ''})`);
  L.push(`Scenario ${s.name}, payment model ${spec.name} (${spec.type}), year ${year}, replication ${rep}, seed ${s.seed}`);
  L.push('');
  L.push('1. Claims at this facility (adjudicated by the benefit rules, F4)');
  L.push(`   outpatient visits ${m(Metric.visits)} (refills ${m(Metric.refillVisits)}), cost ${y(m(Metric.opCost))}, eligible ${y(m(Metric.opEligible))}, fund share ${y(m(Metric.opFund))}`);
  L.push(`   admissions ${m(Metric.admissions)}, cost ${y(m(Metric.ipCost))}, fund share ${y(m(Metric.ipFund))}`);
  L.push(`   patients pay ${y(m(Metric.opCost) + m(Metric.ipCost) - m(Metric.opFund) - m(Metric.ipFund))}`);
  L.push('');
  if (spec.type === 'feeForService') {
    L.push('2. Fee-for-service: the fund pays the claims\' fund share');
    L.push(`   payment = ${y(m(Metric.opFund))} + ${y(m(Metric.ipFund))} = ${y(pay.fundToFacilityFen[f])}`);
  } else if (spec.type === 'capitation' && pay.detail?.kind === 'capitation') {
    const comm = fac.community >= 0 ? c.region.communities[fac.community] : undefined;
    const cs = comm ? pay.detail.communities.find((x) => x.community === comm.id) : undefined;
    if (!cs) {
      L.push('2. This facility is outside the capitation pilot: its claims are paid fee-for-service');
      L.push(`   payment = ${y(pay.fundToFacilityFen[f])}`);
    } else {
      L.push(`2. Capitation of community ${cs.community} (F3; 芜医保〔2025〕17号 二(四)9)`);
      L.push(`   per-capita amount from the prior ${spec.historyYears} years (${spec.rebase}), covering ${spec.covers}:`);
      for (const h of cs.history) L.push(`     ${h.year}: fund payments ${y(h.fundPaidFen)} ÷ ${h.enrollees} heads = ${y(h.enrollees ? h.fundPaidFen / h.enrollees : 0)} per head`);
      L.push(`   ${param('trendFactor', spec.trendFactor, year)}`);
      L.push(`   per-capita c = mean × trend = ${y(cs.perCapitaFen)}`);
      L.push(`   budget B = c × ${cs.heads} enrolled heads = ${y(cs.budgetFen)}`);
      L.push(`   actual fund-liable cost A (all its patients' claims, wherever treated) = ${y(cs.actualFen)}`);
      if (cs.surplusFen > 0) {
        L.push(`   surplus S = B − A = ${y(cs.surplusFen)}`);
        L.push(`   ${param('retentionRate', spec.retention.retentionRate, year)}`);
        L.push(`   retained ${y(cs.retainedFen)}, returned to the fund ${y(cs.returnedToFundFen)}`);
        L.push(`   ${param('villageShare', spec.retention.villageShare, year)} → village clinics ${y(cs.villageFen)}`);
        L.push(`   ${param('townshipShare', spec.retention.townshipShare, year)} → township centres ${y(cs.townshipFen)}`);
        L.push(`   the lead hospital gets the rest → ${y(cs.leadFen)}`);
        L.push(`   within a tier, by ${spec.withinTierKey} (largest remainder)`);
      } else if (cs.overspendFen > 0) {
        L.push(`   overspend O = A − B = ${y(cs.overspendFen)}`);
        L.push(`   ${param('leadShare', spec.overspend.leadShare, year)}${spec.overspend.leadCap ? `; ${param('leadCap', spec.overspend.leadCap, year)}` : ''}`);
        L.push(`   lead hospital bears ${y(cs.leadOverspendFen)}, the fund ${y(cs.fundOverspendFen)}`);
      } else L.push('   B = A: no surplus, no overspend');
      L.push(`   public-health matching funds ${y(cs.matchingFen)} (${param('matchingShare', spec.publicHealth.matchingShare, year)}), paid × assessment score = ${y(cs.matchingPaidFen)}`);
      L.push(`   fund outlay for the community = B − returned + fund's overspend share = ${y(cs.fundOutlayFen)}`);
      L.push('');
      L.push(`3. This facility: claims' fund share ${y(m(Metric.opFund) + m(Metric.ipFund))} + settlement ${y(pay.fundToFacilityFen[f] - m(Metric.opFund) - m(Metric.ipFund))} = ${y(pay.fundToFacilityFen[f])} from the fund; matching funds ${y(pay.otherToFacilityFen?.[f] ?? 0)}`);
    }
  } else if (spec.type === 'points' && pay.detail?.kind === 'points') {
    const d = pay.detail;
    L.push('2. Point-based payment under the regional global budget (F1; 芜医保〔2025〕17号 二(四)10)');
    if (fac.offSite) {
      L.push(`   off-site care is paid fee-for-service outside the budget: ${y(pay.fundToFacilityFen[f])}`);
      return L;
    }
    if (fac.tier === 'hospital') {
      L.push(`   item points (level-2+): cost at base-year prices ${y(m(Metric.opCost) / c.kp.costIndex[yi])} × ${param('pointsPerYuan', spec.itemPoints.pointsPerYuan, year)}`);
      if (spec.covers === 'outpatientAndInpatient') L.push(`   + admissions: standard points × DIP outlier coefficient (F2) = ${fenToYuan(m(Metric.ipPoints)).toFixed(0)} base-yuan × pointsPerYuan; ${m(Metric.ipFlagged)} cases flagged (r > 5)`);
    } else {
      const formula = compileFormula(spec.physicianPoints.capabilityCoefficient, CAPABILITY_VARIABLES);
      L.push(`   physician service-capability points (primary level): refills ${m(Metric.refillVisits)} × ${param('refillPoints', spec.physicianPoints.refillPoints, year)}`);
      L.push(`     + other visits ${m(Metric.visits) - m(Metric.refillVisits)} × ${param('consultPoints', spec.physicianPoints.consultPoints, year)}`);
      L.push(`     × capability coefficient "${formula.text}"`);
    }
    if (spec.behaviour?.pointInflation) L.push(`   × (1 + ${param('pointInflation', spec.behaviour.pointInflation, year, (v) => String(v[fac.tier as 'village'])) })`);
    const fp = facilityPoints(spec, compileFormula(spec.physicianPoints.capabilityCoefficient, CAPABILITY_VARIABLES), { region: c.region, agg, yearIndex: yi, year, years: c.years, horizonStart: c.horizonStart, costIndex: c.kp.costIndex }, yi);
    L.push(`   = ${fp.points[f].toFixed(1)} points; ${param('facilityCoefficient', spec.facilityCoefficient, year, (v) => String(v[fac.tier as 'village']))}`);
    L.push(`   budget B (${d.budgetBasis}) = ${y(d.budgetFen)}${spec.budget.growthRate ? `; ${param('growthRate', spec.budget.growthRate, year)}` : ''}`);
    L.push(`   all facilities: ${d.totalPoints.toFixed(0)} points, ${d.weightedPoints.toFixed(0)} weighted by coefficient`);
    L.push(`   provisional point value (B ÷ last year's weighted points) = ${(d.pointValueProvisional / 100).toFixed(4)} yuan/point`);
    L.push(`   pre-settlement: points × coefficient × provisional value − withheld (${param('withholdShare', spec.preSettlement.withholdShare, year)}) = ${y(d.prepaidFen[f])}`);
    L.push(`   final point value = B ÷ weighted points = ${(d.pointValueFinal / 100).toFixed(4)} yuan/point → final payment ${y(d.finalFen[f])}`);
    L.push(`   year-end clearing: final − prepaid = ${y(d.balanceFen[f])}${d.balanceFen[f] < 0 ? ' (clawback)' : ''}`);
    L.push(`   fund pays this facility ${y(pay.fundToFacilityFen[f])} in all`);
  }
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
  L.push(`  age ${pop.age[p]}, ${pop.male[p] ? 'male' : 'female'}, ${pop.urban[p] ? 'urban' : 'rural'}; ${cond}; ${pop.signed[p] ? `signed with a family doctor at ${pop.urban[p] ? fac(pop.township[p]) : fac(pop.village[p])}` : 'not signed'}`);
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
