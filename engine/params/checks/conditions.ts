/**
 * Per-condition parameters name exactly (or, where optional per condition, only) the conditions
 * declared in population.prevalence; comorbidity pairs are written in declaration order.
 */
import { asDated, type DatedInput } from '../param.ts';
import type { ScenarioFile } from '../schema.ts';
import { valuePath, type RuleIssue } from '../dated-checks.ts';

export function checkConditionKeys(s: ScenarioFile): RuleIssue[] {
  const out: RuleIssue[] = [];
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
  out.push(...checkComorbidityPairs(s, conds));
  for (const [name, p] of [['signedShareByCondition', s.population.signedShareByCondition], ['undesignatedReduction', s.benefits.undesignatedReduction], ['incidenceMaleFactor', s.population.incidenceMaleFactor]] as const) {
    if (!p) continue;
    for (const { from, value } of asDated(p as DatedInput<Record<string, unknown>>).values) {
      const extra = Object.keys(value).filter((k) => !conds.includes(k));
      if (extra.length) out.push({ path: [name === 'undesignatedReduction' ? 'benefits' : 'population', name, ...valuePath(p, from)], rule: `${extra.join(', ')} not declared in population.prevalence (${conds.join(', ')})` });
    }
  }
  return out;
}

/** Each pair `a+b` names declared conditions in declaration order; a condition is the second of one pair at most. */
function checkComorbidityPairs(s: ScenarioFile, conds: string[]): RuleIssue[] {
  const out: RuleIssue[] = [];
  if (!s.population.comorbidity) return out;
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
  return out;
}
