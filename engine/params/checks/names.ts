/** Ids and names used once; each payment model's own rules (its plugin's validate). */
import type { ScenarioFile } from '../schema.ts';
import { specPart } from '../../payment/specs.ts';
import type { RuleIssue } from '../dated-checks.ts';

export function checkNamesAndModels(s: ScenarioFile): RuleIssue[] {
  const out: RuleIssue[] = [];
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
  return out;
}
