/**
 * Scenario rules a schema cannot express. Each returns the path of the offending parameter and
 * the rule in words; `load.ts` adds the file and line.
 */
import { asDated, listDated, type DatedInput } from './param.ts';
import { firstOfMonth, SINCE_ALWAYS } from './dated.ts';
import type { ScenarioFile } from './schema.ts';
import { compileFormula } from './formula.ts';
import { resolveTarget } from './uncertainty/path.ts';
import { WUHU_MIN_MATCHING_SHARE, WUHU_MIN_TOWNSHIP_SHARE, WUHU_MIN_VILLAGE_SHARE } from '../settlement/index.ts';

const WUHU = '芜医保〔2025〕17号 二(四)9 (seeds/003)';
/** Variables of the physician capability formula (kept in step with payment/points/pay.ts). */
export const CAPABILITY_VARIABLES = ['tier', 'signedShare', 'visitsPerPatient', 'patients'];

export interface RuleIssue {
  path: string[];
  rule: string;
}

const EPS = 1e-9;

/**
 * Years simulated before the horizon because payment models look back on them: capitation's
 * per-capita amount (historyYears, default 3), a points budget based on last year's payments (1).
 */
export function historyYearsNeeded(s: ScenarioFile): number {
  let h = 0;
  for (const m of s.paymentModels) {
    if (m.type === 'capitation') h = Math.max(h, m.historyYears - ((m.startYear ?? s.horizon.startYear) - s.horizon.startYear));
    if (m.type === 'points' && m.budget.basis === 'history') h = Math.max(h, 1);
  }
  return h;
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

  for (const [name, p] of [['signedShareByCondition', s.population.signedShareByCondition], ['undesignatedReduction', s.benefits.undesignatedReduction]] as const) {
    if (!p) continue;
    for (const { from, value } of asDated(p as DatedInput<Record<string, unknown>>).values) {
      const extra = Object.keys(value).filter((k) => !conds.includes(k));
      if (extra.length) out.push({ path: [name === 'signedShareByCondition' ? 'population' : 'benefits', name, ...valuePath(p, from)], rule: `${extra.join(', ')} not declared in population.prevalence (${conds.join(', ')})` });
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

  s.paymentModels.forEach((m, i) => {
    const mp = ['paymentModels', String(i)];
    if (m.type === 'capitation') {
      const end = s.horizon.startYear + s.horizon.years - 1;
      if (m.startYear !== undefined && (m.startYear < s.horizon.startYear || m.startYear > end)) {
        out.push({ path: [...mp, 'startYear'], rule: `startYear ${m.startYear} is outside the horizon ${s.horizon.startYear}–${end}` });
      }
      const ids = new Set(s.region.counties.map((c) => c.id));
      (m.pilotCounties ?? []).forEach((id, k) => {
        if (!ids.has(id)) out.push({ path: [...mp, 'pilotCounties', String(k)], rule: `no county with id "${id}" (counties: ${[...ids].join(', ')})` });
      });
      const v = asDated(m.retention.villageShare).values;
      const t = asDated(m.retention.townshipShare).values;
      for (const { from, value } of v) {
        if (m.rule === 'wuhu' && value < WUHU_MIN_VILLAGE_SHARE - EPS) {
          out.push({ path: [...mp, 'retention', 'villageShare', ...valuePath(m.retention.villageShare, from)], rule: `village clinics get at least 40% of the retained surplus under ${WUHU}, got ${value} (set rule: none to model another rule)` });
        }
      }
      for (const { from, value } of t) {
        if (m.rule === 'wuhu' && value < WUHU_MIN_TOWNSHIP_SHARE - EPS) {
          out.push({ path: [...mp, 'retention', 'townshipShare', ...valuePath(m.retention.townshipShare, from)], rule: `township centres get at least 30% of the retained surplus under ${WUHU}, got ${value} (set rule: none to model another rule)` });
        }
      }
      // village + township ≤ 1 at every date either changes (reported once per date)
      for (const d of [...new Set([...v, ...t].map((x) => x.from))].sort()) {
        const vs = v.filter((x) => x.from <= d).at(-1)?.value ?? v[0].value;
        const ts = t.filter((x) => x.from <= d).at(-1)?.value ?? t[0].value;
        if (vs + ts > 1 + EPS) out.push({ path: [...mp, 'retention'], rule: `villageShare + townshipShare must be ≤ 1 (the lead hospital gets the rest), they are ${round(vs + ts)}${d === SINCE_ALWAYS ? '' : ` from ${d}`}` });
      }
      if (m.rule === 'wuhu') {
        for (const { from, value } of asDated(m.publicHealth.matchingShare).values) {
          if (value < WUHU_MIN_MATCHING_SHARE - EPS) out.push({ path: [...mp, 'publicHealth', 'matchingShare', ...valuePath(m.publicHealth.matchingShare, from)], rule: `at least 10% of basic public-health funds are matching funds under ${WUHU}, got ${value}` });
        }
      }
    }
    if (m.type === 'points') {
      if (m.budget.basis === 'fixed' && !m.budget.amount) out.push({ path: [...mp, 'budget', 'amount'], rule: 'budget.basis "fixed" needs budget.amount (yuan/year)' });
      if (m.budget.basis === 'history' && !m.budget.growthRate) out.push({ path: [...mp, 'budget', 'growthRate'], rule: 'budget.basis "history" needs budget.growthRate (share/year)' });
      try {
        // Compile, then evaluate at typical and extreme facility values, so a formula that parses
        // but cannot be evaluated (a wrong call, a comparison result) fails here, not mid-run.
        const f = compileFormula(m.physicianPoints.capabilityCoefficient, CAPABILITY_VARIABLES);
        for (const tier of [0, 1]) for (const signedShare of [0, 0.5, 1]) for (const [visitsPerPatient, patients] of [[0, 0], [12, 500]]) f.evaluate({ tier, signedShare, visitsPerPatient, patients });
      } catch (e) {
        out.push({ path: [...mp, 'physicianPoints', 'capabilityCoefficient'], rule: `capability formula: ${(e as Error).message}` });
      }
    }
  });

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

function valuePath(p: DatedInput<unknown>, from: string): string[] {
  return p.values !== undefined ? ['values', from] : ['value'];
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
