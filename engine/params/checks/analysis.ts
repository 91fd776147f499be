/** What the analysis blocks name exists: uncertain and sensitivity parameters, the sensitivity's model and year. */
import type { ScenarioFile } from '../schema.ts';
import { resolveTarget } from '../uncertainty/path.ts';
import type { RuleIssue } from '../dated-checks.ts';

export function checkAnalysisTargets(s: ScenarioFile): RuleIssue[] {
  const out: RuleIssue[] = [];
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
  return out;
}

/** The ledger's reserve-month thresholds are ordered; the cost base year is not after the horizon. */
export function checkLedgerAndHorizon(s: ScenarioFile): RuleIssue[] {
  const out: RuleIssue[] = [];
  const t = s.ledger.reserveMonths;
  if (!(t.severe <= t.low && t.low <= t.normal && t.normal <= t.excessive)) {
    out.push({ path: ['ledger', 'reserveMonths'], rule: 'reserve-month thresholds must be ordered severe ≤ low ≤ normal ≤ excessive' });
  }
  if (s.utilization.costBaseYear > s.horizon.startYear + s.horizon.years - 1) {
    out.push({ path: ['utilization', 'costBaseYear'], rule: `costBaseYear ${s.utilization.costBaseYear} is after the horizon's last year` });
  }
  return out;
}
