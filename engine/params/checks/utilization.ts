/** Utilization rules across parameters: prescription packs, pharmacy refills, shares that sum to 1. */
import { asDated, type DatedInput } from '../param.ts';
import type { ScenarioFile } from '../schema.ts';
import { EPS, round6 as round, valuePath, type RuleIssue } from '../dated-checks.ts';

export function checkUtilizationRules(s: ScenarioFile): RuleIssue[] {
  const out: RuleIssue[] = [];
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
  return out;
}

export function checkShares(s: ScenarioFile): RuleIssue[] {
  const out: RuleIssue[] = [];
  const sumsTo1 = (p: DatedInput<Record<string, number>>, path: string[], what: string) => {
    for (const { from, value } of asDated(p).values) {
      const sum = Object.values(value).reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 1e-6) out.push({ path: [...path, ...valuePath(p, from)], rule: `${what} must sum to 1, they sum to ${round(sum)}` });
    }
  };
  sumsTo1(s.population.ageStructure, ['population', 'ageStructure'], 'age-band shares');
  for (const { from, value } of asDated(s.utilization.tierPreference).values) {
    for (const res of ['rural', 'urban'] as const) {
      const sum = value[res].village + value[res].township + value[res].hospital;
      if (Math.abs(sum - 1) > 1e-6) out.push({ path: ['utilization', 'tierPreference', ...valuePath(s.utilization.tierPreference, from), res], rule: `tier shares for ${res} residents must sum to 1, they sum to ${round(sum)}` });
    }
  }
  for (const { from, value } of asDated(s.utilization.offSiteShare).values) {
    const sum = Object.values(value).reduce((a, b) => a + b, 0);
    if (sum > 1 + EPS) out.push({ path: ['utilization', 'offSiteShare', ...valuePath(s.utilization.offSiteShare, from)], rule: `off-site shares must sum to at most 1, they sum to ${round(sum)}` });
  }
  return out;
}
