/**
 * Addressing a number in a scenario by path, for uncertainty and sensitivity analysis:
 * `utilization.costTrend` (a dated parameter whose value is a number), `benefits.ratio.village`
 * (a number inside a dated parameter's value), `paymentModels.capitation.trendFactor` (a payment model
 * addressed by name). Every dated value of the parameter is set (or scaled) the same way.
 */
import { isDatedInput, type DatedInput } from '../param.ts';

export interface ParameterTarget {
  /** The dated parameter. */
  param: DatedInput<unknown>;
  /** Segments inside each value (empty when the value itself is the number). */
  inner: string[];
}

/**
 * Resolve `path` in `scenario`, or explain why it cannot be. With `apply: 'factor'` the path may
 * also address a mapping of numbers (e.g. a rate by condition, or by condition and age band): the
 * factor scales each of them.
 */
export function resolveTarget(scenario: unknown, path: string, apply: 'value' | 'factor' = 'value'): ParameterTarget | string {
  const segs = path.split('.');
  let node: unknown = scenario;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    if (isDatedInput(node)) return checkInner(node, segs.slice(i), path, apply);
    if (Array.isArray(node)) {
      // paymentModels.<name>
      const found = node.find((x) => x && typeof x === 'object' && (x as { name?: unknown }).name === seg) ?? (/^\d+$/.test(seg) ? node[Number(seg)] : undefined);
      if (found === undefined) return `"${segs.slice(0, i + 1).join('.')}": no list item named "${seg}"`;
      node = found;
      continue;
    }
    if (node === null || typeof node !== 'object' || !(seg in node)) return `"${segs.slice(0, i + 1).join('.')}" does not exist in the scenario`;
    node = (node as Record<string, unknown>)[seg];
  }
  if (isDatedInput(node)) return checkInner(node, [], path, apply);
  return `"${path}" is not a dated parameter (only rule parameters with unit and source can be uncertain)`;
}

function checkInner(param: DatedInput<unknown>, inner: string[], path: string, apply: 'value' | 'factor'): ParameterTarget | string {
  for (const v of datedValues(param)) {
    const x = get(v, inner);
    const scalableMap = apply === 'factor' && allNumbers(x);
    if (typeof x !== 'number' && !scalableMap) {
      return `"${path}" does not address a number in every dated value of the parameter (found ${JSON.stringify(x)})${apply === 'value' ? '; with apply: factor a mapping of numbers is scaled as a whole' : ''}`;
    }
  }
  return { param, inner };
}

/** A mapping (possibly of mappings) whose leaves are all numbers: what a factor can scale. */
function allNumbers(x: unknown): boolean {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
  return Object.values(x).every((e) => typeof e === 'number' || allNumbers(e));
}

export function datedValues(p: DatedInput<unknown>): unknown[] {
  return p.values !== undefined ? Object.values(p.values) : [p.value];
}

function get(v: unknown, inner: string[]): unknown {
  let x = v;
  for (const s of inner) {
    if (x === null || typeof x !== 'object') return undefined;
    x = (x as Record<string, unknown>)[s];
  }
  return x;
}

/** Set (apply = value) or scale (apply = factor) the number at every dated value of `t`, in place. */
export function setTarget(t: ParameterTarget, x: number, apply: 'value' | 'factor'): void {
  const scale = (y: unknown): unknown => (typeof y === 'number' ? y * x : Object.fromEntries(Object.entries(y as Record<string, unknown>).map(([k, e]) => [k, scale(e)])));
  const upd = (v: unknown): unknown => {
    if (t.inner.length === 0) return apply === 'value' ? x : scale(v);
    let o = v as Record<string, unknown>;
    for (let i = 0; i < t.inner.length - 1; i++) o = o[t.inner[i]] as Record<string, unknown>;
    const k = t.inner[t.inner.length - 1];
    o[k] = apply === 'value' ? x : scale(o[k]);
    return v;
  };
  if (t.param.values !== undefined) for (const d of Object.keys(t.param.values)) t.param.values[d] = upd(t.param.values[d]);
  else t.param.value = upd(t.param.value);
}
