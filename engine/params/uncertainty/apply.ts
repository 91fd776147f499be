/**
 * Probabilistic sensitivity analysis: each uncertain parameter is drawn once per replication from
 * its distribution, on a stream of its own keyed by (seed, replication, parameter path) — so adding
 * or removing one uncertain parameter never changes the draws of the others — and written into the
 * replication's copy of the scenario, which is then checked against every rule again.
 */
import { FundcastError, formatIssue } from '../../errors.ts';
import { ScenarioSchema, type ScenarioFile } from '../schema.ts';
import { checkScenarioRules } from '../rules.ts';
import { sample } from '../../rng/distributions.ts';
import { Purpose, Rng, streamState } from '../../rng/stream.ts';
import { resolveTarget, setTarget } from './path.ts';

/** A 32-bit hash of a parameter path (FNV-1a), the block key of its stream. */
export function pathKey(path: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export interface Draws {
  scenario: ScenarioFile;
  /** The value drawn for each uncertain parameter (path → draw). */
  values: Record<string, number>;
}

/** The scenario of replication `rep` with its uncertain parameters drawn. */
export function drawParameters(s: ScenarioFile, rep: number): Draws {
  if (s.uncertainty.length === 0) return { scenario: s, values: {} };
  const out = structuredClone(s);
  const values: Record<string, number> = {};
  for (const u of s.uncertainty) {
    const x = sample(u.distribution, new Rng(streamState(s.seed, rep, pathKey(u.parameter), Purpose.parameters)));
    const t = resolveTarget(out, u.parameter, u.apply);
    if (typeof t === 'string') throw new FundcastError('ERR_UNCERTAINTY', `uncertainty.${u.parameter}: ${t}`);
    setTarget(t, x, u.apply);
    values[u.parameter] = x;
  }
  return { scenario: revalidate(out, `replication ${rep}'s draws (${Object.entries(values).map(([k, v]) => `${k} = ${round(v)}`).join(', ')})`), values };
}

/** Re-check a scenario whose numbers were changed by draws or sensitivity values. */
export function revalidate(s: ScenarioFile, what: string): ScenarioFile {
  const parsed = ScenarioSchema.safeParse(s);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new FundcastError('ERR_UNCERTAINTY', `${what} break a rule: ${i.path.map(String).join('.')}: ${i.message}. Choose a distribution whose values respect the parameter's range (e.g. beta for shares).`);
  }
  const rules = checkScenarioRules(parsed.data);
  if (rules.length) throw new FundcastError('ERR_UNCERTAINTY', `${what} break a rule: ${formatIssue({ file: 'scenario', path: rules[0].path.join('.'), rule: rules[0].rule })}`);
  return parsed.data;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
