/**
 * Scenario rules a schema cannot express. Each returns the path of the offending parameter and
 * the rule in words; `load.ts` adds the file and line.
 */
import { asDated, listDated, type DatedInput } from './param.ts';
import { firstOfMonth, SINCE_ALWAYS } from './dated.ts';
import type { ScenarioFile } from './schema.ts';
import { compileFormula } from './formula.ts';
import { resolveTarget } from './uncertainty/path.ts';
import { specPart } from '../payment/specs.ts';
import { EPS, round6 as round, valuePath, type RuleIssue } from './dated-checks.ts';

export type { RuleIssue };

/**
 * Years simulated before the horizon because payment models look back on them: capitation's
 * per-capita amount (historyYears, default 3), a points budget based on last year's payments (1).
 */
export function historyYearsNeeded(s: ScenarioFile): number {
  return Math.max(0, ...s.paymentModels.map((m) => specPart(m.type).historyYears(m, s)));
}

/** The first simulated year: the horizon's start, less the history years payment models need. */
export function firstSimulatedYear(s: ScenarioFile): number {
  return s.horizon.startYear - historyYearsNeeded(s);
}

export function checkScenarioRules(s: ScenarioFile): RuleIssue[] {
  const out: RuleIssue[] = [];
  const first = firstOfMonth(firstSimulatedYear(s), 1);

  // Every dated parameter must have a value in force from the first simulated month.
  for (const { path, param } of listDated(s)) {
    const d = asDated(param);
    if (d.values[0].from > first) {
      out.push({ path: [...path, 'values'], rule: `no value in force on ${first} (the first simulated month): the earliest value is from ${d.values[0].from}` });
    }
  }

  // Every per-condition parameter covers exactly the declared conditions.
  const conds = Object.keys(s.population.prevalence);
  const sameKeys = (keys: string[], path: string[], what: string) => {
    const missing = conds.filter((c) => !keys.includes(c));
    const extra = keys.filter((k) => !conds.includes(k));
    if (missing.length || extra.length) {
      out.push({ path, rule: `${what} must give a value for each declared condition (${conds.join(', ')})${missing.length ? `; missing: ${missing.join(', ')}` : ''}${extra.length ? `; not declared in population.prevalence: ${extra.join(', ')}` : ''}` });
    }
  };
  sameKeys(Object.keys(s.population.treatedShare), ['population', 'treatedShare'], 'treatedShare');
  for (const [name, p] of [['consultVisitsPerMonth', s.utilization.consultVisitsPerMonth], ['dailyDrugCost', s.utilization.dailyDrugCost], ['hospitalizationRate', s.utilization.hospitalizationRate]] as const) {
    for (const { from, value } of asDated(p as DatedInput<Record<string, unknown>>).values) sameKeys(Object.keys(value), ['utilization', name, ...valuePath(p, from)], name);
  }

  for (const [name, p] of [['excessMortality', s.population.excessMortality], ['incidence', s.population.incidence]] as const) {
    for (const { from, value } of asDated(p as DatedInput<Record<string, unknown>>).values) sameKeys(Object.keys(value), ['population', name, ...valuePath(p, from)], name);
  }
  if (s.population.comorbidity) {
    const seconds = new Set<string>();
    for (const { from, value } of asDated(s.population.comorbidity).values) {
      for (const key of Object.keys(value)) {
        const [a, b] = key.split('+');
        const path = ['population', 'comorbidity', ...valuePath(s.population.comorbidity, from), key];
        const undeclared = [a, b].filter((c) => !conds.includes(c));
        if (undeclared.length) out.push({ path, rule: `${undeclared.join(', ')} not declared in population.prevalence (${conds.join(', ')})` });
        else if (conds.indexOf(a) >= conds.indexOf(b)) out.push({ path, rule: `write a pair in the order the conditions are declared (${conds.join(', ')}): ${b}+${a}${a === b ? ' is not a pair' : ''}` });
        else if (seconds.has(b)) out.push({ path, rule: `${b} is already the second condition of another pair: a condition follows one earlier condition at most` });
        seconds.add(b);
      }
      seconds.clear();
    }
  }

  for (const [name, p] of [['signedShareByCondition', s.population.signedShareByCondition], ['undesignatedReduction', s.benefits.undesignatedReduction], ['incidenceMaleFactor', s.population.incidenceMaleFactor]] as const) {
    if (!p) continue;
    for (const { from, value } of asDated(p as DatedInput<Record<string, unknown>>).values) {
      const extra = Object.keys(value).filter((k) => !conds.includes(k));
      if (extra.length) out.push({ path: [name === 'undesignatedReduction' ? 'benefits' : 'population', name, ...valuePath(p, from)], rule: `${extra.join(', ')} not declared in population.prevalence (${conds.join(', ')})` });
    }
  }
  if (s.utilization.packDays) {
    for (const { from, value } of asDated(s.utilization.prescriptionDays).values) {
      for (const [tier, d] of Object.entries(value)) {
        if (d % s.utilization.packDays !== 0) out.push({ path: ['utilization', 'prescriptionDays', ...valuePath(s.utilization.prescriptionDays, from), tier], rule: `prescription days come in packs of ${s.utilization.packDays} (utilization.packDays), ${d} is not a multiple` });
      }
    }
  }
  if (s.utilization.pharmacyRefillShare && !s.region.dualChannelPharmacies) {
    out.push({ path: ['utilization', 'pharmacyRefillShare'], rule: 'needs region.dualChannelPharmacies: true (there is no pharmacy to fill refills at)' });
  }

  const sumsTo1 = (p: DatedInput<Record<string, number>>, path: string[], what: string) => {
    for (const { from, value } of asDated(p).values) {
      const sum = Object.values(value).reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 1e-6) out.push({ path: [...path, ...valuePath(p, from)], rule: `${what} must sum to 1, they sum to ${round(sum)}` });
    }
  };
  const sumsAtMost1 = (p: DatedInput<Record<string, number>>, path: string[], what: string) => {
    for (const { from, value } of asDated(p).values) {
      const sum = Object.values(value).reduce((a, b) => a + b, 0);
      if (sum > 1 + EPS) out.push({ path: [...path, ...valuePath(p, from)], rule: `${what} must sum to at most 1, they sum to ${round(sum)}` });
    }
  };

  sumsTo1(s.population.ageStructure, ['population', 'ageStructure'], 'age-band shares');
  for (const { from, value } of asDated(s.utilization.tierPreference).values) {
    for (const res of ['rural', 'urban'] as const) {
      const sum = value[res].village + value[res].township + value[res].hospital;
      if (Math.abs(sum - 1) > 1e-6) out.push({ path: ['utilization', 'tierPreference', ...valuePath(s.utilization.tierPreference, from), res], rule: `tier shares for ${res} residents must sum to 1, they sum to ${round(sum)}` });
    }
  }
  sumsAtMost1(s.utilization.offSiteShare, ['utilization', 'offSiteShare'], 'off-site shares');

  const ids = new Set<string>();
  s.region.counties.forEach((c, i) => {
    if (ids.has(c.id)) out.push({ path: ['region', 'counties', String(i), 'id'], rule: `county id "${c.id}" is used twice` });
    ids.add(c.id);
  });
  const names = new Set<string>();
  s.paymentModels.forEach((m, i) => {
    if (names.has(m.name)) out.push({ path: ['paymentModels', String(i), 'name'], rule: `payment model name "${m.name}" is used twice` });
    names.add(m.name);
  });

  s.paymentModels.forEach((m, i) => out.push(...specPart(m.type).validate(m, s, ['paymentModels', String(i)])));

  s.uncertainty.forEach((u, i) => {
    const t = resolveTarget(s, u.parameter, u.apply);
    if (typeof t === 'string') out.push({ path: ['uncertainty', String(i), 'parameter'], rule: t });
  });
  s.sensitivity?.parameters.forEach((p, i) => {
    const t = resolveTarget(s, p.parameter, p.apply);
    if (typeof t === 'string') out.push({ path: ['sensitivity', 'parameters', String(i), 'parameter'], rule: t });
    if (p.low > p.high) out.push({ path: ['sensitivity', 'parameters', String(i)], rule: `low (${p.low}) must be ≤ high (${p.high})` });
  });
  if (s.sensitivity?.model && !s.paymentModels.some((m) => m.name === s.sensitivity!.model)) {
    out.push({ path: ['sensitivity', 'model'], rule: `no payment model named "${s.sensitivity.model}"` });
  }
  if (typeof s.sensitivity?.year === 'number' && (s.sensitivity.year < s.horizon.startYear || s.sensitivity.year >= s.horizon.startYear + s.horizon.years)) {
    out.push({ path: ['sensitivity', 'year'], rule: `year ${s.sensitivity.year} is outside the horizon ${s.horizon.startYear}–${s.horizon.startYear + s.horizon.years - 1}` });
  }

  const t = s.ledger.reserveMonths;
  if (!(t.severe <= t.low && t.low <= t.normal && t.normal <= t.excessive)) {
    out.push({ path: ['ledger', 'reserveMonths'], rule: 'reserve-month thresholds must be ordered severe ≤ low ≤ normal ≤ excessive' });
  }
  if (s.utilization.costBaseYear > s.horizon.startYear + s.horizon.years - 1) {
    out.push({ path: ['utilization', 'costBaseYear'], rule: `costBaseYear ${s.utilization.costBaseYear} is after the horizon's last year` });
  }
  return out;
}
