/** Every dated parameter has a value in force from the first simulated month. */
import { asDated, listDated } from '../param.ts';
import type { ScenarioFile } from '../schema.ts';
import type { RuleIssue } from '../dated-checks.ts';

export function checkDatedCoverage(s: ScenarioFile, first: string): RuleIssue[] {
  const out: RuleIssue[] = [];
  for (const { path, param } of listDated(s)) {
    const d = asDated(param);
    if (d.values[0].from > first) {
      out.push({ path: [...path, 'values'], rule: `no value in force on ${first} (the first simulated month): the earliest value is from ${d.values[0].from}` });
    }
  }
  return out;
}
