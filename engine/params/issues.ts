/**
 * From the schema library's issues to messages a scenario's author can act on:
 *
 * - "allowed here" lists the keys of the mapping the key is in — inside a payment model or a
 *   distribution, the keys of *that* `type` (the discriminated union's option for the value given) —
 *   and "did you mean" picks the closest of them;
 * - a missing parameter is named with what it is (the schema's description and unit), and not
 *   reported at all when a misspelled sibling key already says "did you mean" it;
 * - the schema library's own wording ("Invalid input: expected object, received undefined") is
 *   replaced by the rule in words;
 * - paths are human: list items counted from 1 and named, `paymentModels[2] "capitation".retention`.
 */
import type { z } from 'zod';
import type { ScenarioIssue } from '../errors.ts';
import { closest } from './suggest.ts';

export type Where = (path: (string | number)[], key?: string) => { file: string; line?: number; column?: number };

type Def = Record<string, unknown> & { type: string };
const defOf = (s: unknown): Def | undefined => (s as { _zod?: { def?: Def } } | undefined)?._zod?.def;

/** Through optional/default/pipe wrappers to the schema that holds the shape. */
function unwrap(x: unknown): unknown {
  for (let i = 0; i < 10; i++) {
    const def = defOf(x);
    if (!def) return x;
    if (['optional', 'default', 'nullable', 'prefault', 'readonly', 'catch'].includes(def.type)) x = def.innerType;
    else if (def.type === 'pipe') x = def.in;
    else return x;
  }
  return x;
}

const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** A union's option for `value`: by the discriminator's literal when there is one, else the first. */
function unionOption(def: Def, value: unknown): unknown {
  const options = def.options as unknown[];
  const disc = def.discriminator as string | undefined;
  if (disc && isObj(value)) {
    for (const o of options) {
      const shape = defOf(unwrap(o))?.shape as Record<string, unknown> | undefined;
      const lit = defOf(shape?.[disc]);
      const vals = (lit?.values as unknown[] | undefined) ?? [];
      if (vals.includes(value[disc])) return o;
    }
    return undefined;
  }
  return options[0];
}

/** The schema at `path` of `schema`, following `input` to choose union options. */
export function schemaAt(schema: unknown, path: (string | number)[], input: unknown): unknown {
  let s: unknown = schema;
  let v: unknown = input;
  for (const seg of path) {
    s = unwrap(s);
    let def = defOf(s);
    if (def?.type === 'union') {
      s = unwrap(unionOption(def, v));
      def = defOf(s);
    }
    if (!def) return undefined;
    if (def.type === 'object') s = (def.shape as Record<string, unknown>)[seg as string];
    else if (def.type === 'array') s = def.element;
    else if (def.type === 'record') s = def.valueType;
    else return undefined;
    v = isObj(v) || Array.isArray(v) ? (v as Record<string | number, unknown>)[seg] : undefined;
    if (!s) return undefined;
  }
  s = unwrap(s);
  const def = defOf(s);
  return def?.type === 'union' ? unwrap(unionOption(def, v)) : s;
}

/** The keys a mapping allows at `path` (for "allowed here" and "did you mean"). */
export function knownKeysAt(schema: unknown, path: (string | number)[], input: unknown): string[] {
  const def = defOf(schemaAt(schema, path, input));
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

/** What a parameter is, from its schema's description (".describe(...)"), when it has one. */
function descriptionAt(schema: unknown, path: (string | number)[], input: unknown): string | undefined {
  let s = schemaAt(schema, path, input);
  // A described schema may sit inside an optional: the description is on either.
  for (let i = 0; i < 4 && s; i++) {
    const d = (s as { description?: string }).description;
    if (d) return d;
    const def = defOf(s);
    s = def?.innerType ?? def?.in;
  }
  const outer = schemaAt(schema, path.slice(0, -1), input);
  const def = defOf(outer);
  const field = def?.type === 'object' ? (def.shape as Record<string, { description?: string }>)[path[path.length - 1] as string] : undefined;
  return field?.description;
}

export function valueAtPath(x: unknown, path: (string | number)[]): unknown {
  let v = x;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/**
 * A parameter path for people: list items counted from 1 and named by their `id` or `name` when
 * they have one — `paymentModels[2] "capitation".retention.retentionRate`, `region.counties[3] "yijiang"`.
 * Keys of mappings (dates, tiers, conditions) stay as they are.
 */
export function humanPath(path: (string | number)[], data: unknown): string {
  let out = '';
  let v = data;
  for (const seg of path) {
    if (Array.isArray(v) && /^\d+$/.test(String(seg))) {
      const i = Number(seg);
      const item = v[i];
      const label = isObj(item) && (typeof item.name === 'string' || typeof item.id === 'string') ? ` "${String(item.id ?? item.name)}"` : '';
      out += `[${i + 1}]${label}`;
      v = item;
    } else {
      out += (out ? '.' : '') + String(seg);
      v = isObj(v) ? v[String(seg)] : undefined;
    }
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping of keys to values',
  array: 'a list',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  int: 'a whole number',
};

/** The schema library's default wording in words (custom messages of schema.ts pass unchanged). */
function plain(iss: z.core.$ZodIssue): string {
  if (!/^(Invalid|Too (small|big))\b/.test(iss.message)) return iss.message;
  const i = iss as unknown as Record<string, unknown>;
  switch (iss.code) {
    case 'invalid_type':
      return `must be ${TYPE_WORDS[String(i.expected)] ?? String(i.expected)}`;
    case 'too_small':
      if (i.origin === 'array') return `list at least ${i.minimum} item${i.minimum === 1 ? '' : 's'}`;
      if (i.origin === 'string') return Number(i.minimum) <= 1 ? 'must not be empty' : `must have at least ${i.minimum} characters`;
      return `must be ${i.inclusive ? '≥' : '>'} ${i.minimum}`;
    case 'too_big':
      if (i.origin === 'array') return `list at most ${i.maximum} item${i.maximum === 1 ? '' : 's'}`;
      if (i.origin === 'string') return `must have at most ${i.maximum} characters`;
      return `must be ${i.inclusive ? '≤' : '<'} ${i.maximum}`;
    case 'invalid_value':
      return `must be one of: ${(i.values as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
    default:
      return iss.message.replace(/^Invalid input:?\s*/, 'not valid: ');
  }
}

export function zodIssues(err: z.ZodError, schema: unknown, input: unknown, where: Where): ScenarioIssue[] {
  const out: (ScenarioIssue & { key: string })[] = [];
  // "did you mean" targets per mapping: a missing key that a misspelled sibling already names is not reported twice.
  const meant = new Set<string>();
  for (const iss of err.issues) {
    const path = iss.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as (string | number)[];
    if (iss.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, path, input);
      for (const k of iss.keys) {
        const present = isObj(valueAtPath(input, path)) ? Object.keys(valueAtPath(input, path) as object) : [];
        // Prefer a known key not yet given (the one the author most likely meant).
        const guess = closest(k, known.filter((x) => !present.includes(x))) ?? closest(k, known);
        if (guess) meant.add(JSON.stringify([...path, guess]));
        out.push({
          key: JSON.stringify([...path, k]),
          ...where(path, k),
          path: humanPath([...path, k], input),
          rule: `unknown key "${k}"${guess ? ` (did you mean "${guess}"?)` : ''}; allowed here: ${known.join(', ')}`,
        });
      }
      continue;
    }
    if (iss.code === 'invalid_key') {
      const inner = (iss as unknown as { issues?: { message: string }[] }).issues?.[0]?.message ?? iss.message;
      out.push({ key: JSON.stringify(path), ...where(path), path: humanPath(path, input), rule: `key "${String(path[path.length - 1])}": ${inner}` });
      continue;
    }
    const value = valueAtPath(input, path);
    let rule: string;
    if (value === undefined && (iss.code === 'invalid_type' || iss.code === 'invalid_value')) {
      const what = descriptionAt(schema, path, input);
      const custom = /^(Invalid|Too (small|big))\b/.test(iss.message) ? '' : `: ${iss.message}`;
      rule = `missing required parameter "${String(path[path.length - 1])}"${what ? ` (${what})` : ''}${custom}`;
    } else {
      rule = plain(iss);
      if (value !== undefined && typeof value !== 'object') rule += ` (got ${shown(value)})`;
      // a misspelled choice (a model's type, an enum value): the closest of the choices the rule lists
      const choices = /must be one of:? (.*?)(?: \(got |$)/.exec(rule)?.[1].split(/,\s*|\|/).map((c) => c.trim().replace(/^"|"$/g, ''));
      const guess = typeof value === 'string' && choices ? closest(value, choices) : undefined;
      if (guess && guess !== value) rule += ` (did you mean "${guess}"?)`;
    }
    out.push({ key: JSON.stringify(path), ...where(path), path: humanPath(path, input), rule });
  }
  return out.filter((i) => !(meant.has(i.key) && i.rule.startsWith('missing required parameter'))).map(({ key: _key, ...i }) => i);
}

/** Issues in reading order: the scenario's own file first (then the files it extends), by line and column. */
export function sortIssues(issues: ScenarioIssue[], files: string[]): ScenarioIssue[] {
  const rank = (f: string) => {
    const i = files.indexOf(f);
    return i < 0 ? files.length : i;
  };
  return issues
    .map((x, i) => ({ x, i }))
    .sort((a, b) => rank(a.x.file) - rank(b.x.file) || (a.x.line ?? Infinity) - (b.x.line ?? Infinity) || (a.x.column ?? 0) - (b.x.column ?? 0) || a.i - b.i)
    .map((e) => e.x);
}

/**
 * A value as the author wrote it, for "(got …)": JSON's spelling, except numbers JSON cannot write
 * (it would say null): YAML's .nan and .inf, and a number too large for a double (1e999) reads as
 * infinite.
 */
function shown(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    if (Number.isNaN(value)) return '.nan, not a number';
    return `${value > 0 ? '' : '-'}.inf: infinite (YAML ${value > 0 ? '' : '-'}.inf, or a number too large to hold, such as ${value > 0 ? '' : '-'}1e999)`;
  }
  return JSON.stringify(value);
}
