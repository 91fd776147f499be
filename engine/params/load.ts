/**
 * Loading a scenario: read the file (YAML with comments, or JSON), follow `extends`, validate
 * against {@link ScenarioSchema}, then check the rules a schema cannot express (shares that must
 * sum to 1, values in force for every simulated month, unique ids). Every problem is reported with
 * its file, line, parameter path and rule, all at once, as a {@link ScenarioError}.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Errors, ScenarioError, type ScenarioIssue } from '../errors.ts';
import { locate, owns, parseSource, type SourceDoc } from './locate.ts';
import { checkScenarioSize, keyIssues } from './limits.ts';
import { ScenarioSchema, type ScenarioFile } from './schema.ts';
import { humanPath, sortIssues, zodIssues } from './issues.ts';
import { checkScenarioRules } from './rules.ts';

export interface LoadedScenario {
  scenario: ScenarioFile;
  /** The files read, the scenario's own first, then what it extends. */
  files: string[];
  /** sha256 of the canonical JSON of the validated scenario. */
  hash: string;
}

/** The package root (holds package.json), found from this module's location (works from src and dist). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(resolve(dir, 'package.json')) && existsSync(resolve(dir, 'scenarios'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('fundcast: cannot find the package root (package.json beside scenarios/)');
}

export const DEFAULT_SCENARIO = 'wuhu-default';

/** Names of the scenarios shipped in `scenarios/`. */
export function embeddedScenarios(): string[] {
  const dir = resolve(packageRoot(), 'scenarios');
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .map((f) => f.replace(/\.(ya?ml|json)$/, ''))
    .sort();
}

/** A path to an existing file, or the name of an embedded scenario, to a file path. */
export function resolveScenarioPath(ref: string, relativeTo = process.cwd()): string {
  const p = resolve(relativeTo, ref);
  if (existsSync(p)) return p;
  for (const ext of ['.yaml', '.yml', '.json']) {
    const q = resolve(packageRoot(), 'scenarios', ref + ext);
    if (existsSync(q)) return q;
  }
  throw Errors.ScenarioNotFound(`${ref} (not a file, nor an embedded scenario: ${embeddedScenarios().join(', ')})`);
}

/** Load and validate a scenario by path or embedded name (default: the embedded default region). */
export function loadScenario(ref: string = DEFAULT_SCENARIO): LoadedScenario {
  const chain = readChain(resolveScenarioPath(ref), []);
  const merged = chain.map((c) => c.data).reduceRight((acc: Record<string, unknown>, d) => deepMerge(acc, d), {});
  delete merged.extends;
  return validateMerged(merged, chain.map((c) => c.src));
}

/** Validate scenario text directly (used by tests and by tools that hold the text in memory). */
export function parseScenarioText(text: string, file = '<text>'): LoadedScenario {
  checkScenarioSize(file, Buffer.byteLength(text));
  const src = parseSource(file, text);
  const issues = syntaxIssues(src);
  if (issues.length) throw new ScenarioError(issues);
  const data = toPlain(src, file);
  if (data.extends !== undefined) {
    const base = loadChainFrom(String(data.extends), process.cwd(), [file]);
    const merged = deepMerge(base.merged, data);
    delete merged.extends;
    return validateMerged(merged, [src, ...base.srcs]);
  }
  return validateMerged(data, [src]);
}

interface ChainItem {
  src: SourceDoc;
  data: Record<string, unknown>;
}

function readChain(path: string, seen: string[]): ChainItem[] {
  if (seen.includes(path)) throw new ScenarioError([{ file: path, path: 'extends', rule: `extends forms a cycle: ${[...seen, path].map((p) => basename(p)).join(' → ')}` }]);
  const ext = extname(path).toLowerCase();
  if (!['.yaml', '.yml', '.json'].includes(ext)) throw Errors.UnsupportedScenarioType(path);
  let text: string;
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    // unreadable: said just below
  }
  checkScenarioSize(path, size); // before reading it
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw Errors.ScenarioUnreadable(path, (e as Error).message);
  }
  if (ext === '.json') strictJson(path, text);
  const src = parseSource(path, text);
  const issues = syntaxIssues(src);
  if (issues.length) throw new ScenarioError(issues);
  const data = toPlain(src, path);
  // Every file states its own format version, and the scenario that is run states its own name
  // (an inherited name would write its results over the base scenario's).
  const own: ScenarioIssue[] = [];
  if (data.fundcast === undefined) own.push({ file: path, line: 1, path: 'fundcast', rule: 'every scenario file starts with `fundcast: 1` (the format version), also when it extends another' });
  if (seen.length === 0 && data.name === undefined) own.push({ file: path, line: 1, path: 'name', rule: 'the scenario needs its own `name` (results go to out/<name>/; it is not inherited through extends)' });
  if (own.length) throw new ScenarioError(own);
  const item = { src, data };
  if (data.extends === undefined) return [item];
  if (typeof data.extends !== 'string') {
    throw new ScenarioError([{ file: path, ...pos(src, ['extends']), path: 'extends', rule: 'extends must be a scenario name or a path' }]);
  }
  let parent: string;
  try {
    parent = resolveScenarioPath(data.extends, dirname(path));
  } catch {
    throw new ScenarioError([{ file: path, ...pos(src, ['extends']), path: 'extends', rule: `no scenario named or found at "${data.extends}" (embedded: ${embeddedScenarios().join(', ')})` }]);
  }
  return [item, ...readChain(parent, [...seen, path])];
}

function loadChainFrom(ref: string, dir: string, seen: string[]): { merged: Record<string, unknown>; srcs: SourceDoc[] } {
  const chain = readChain(resolveScenarioPath(ref, dir), seen);
  const merged = chain.map((c) => c.data).reduceRight((acc: Record<string, unknown>, d) => deepMerge(acc, d), {});
  return { merged, srcs: chain.map((c) => c.src) };
}

/**
 * A .json scenario must be strict JSON (YAML would accept trailing commas and comments). The line and
 * column come from the parser's message — "at position N" (Node 20) or "(line L column C)" (Node 22);
 * should a future message give neither, the error names the file without a line rather than failing.
 */
function strictJson(file: string, text: string): void {
  try {
    JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const lc = /\(line (\d+) column (\d+)\)/.exec(msg);
    const m = /position (\d+)/.exec(msg);
    let line: number | undefined;
    let column: number | undefined;
    if (lc) {
      line = Number(lc[1]);
      column = Number(lc[2]);
    } else if (m) {
      const before = text.slice(0, Number(m[1])).split('\n');
      line = before.length;
      column = before[before.length - 1].length + 1;
    }
    const rule = msg.replace(/ in JSON at position \d+.*$/, '').replace(/,? ?"[^"]*" is not valid JSON$/, '').replace(/ \(line \d+ column \d+\)$/, '');
    throw new ScenarioError([{ file, line, column, path: '', rule: `not valid JSON: ${rule}` }]);
  }
}

function syntaxIssues(src: SourceDoc): ScenarioIssue[] {
  const syntax = src.doc.errors.map((e) => {
    const lp = src.lines.linePos(e.pos[0]);
    return { file: src.file, line: lp?.line, column: lp?.col, path: '', rule: `not valid YAML/JSON: ${e.message.split('\n')[0]}` };
  });
  return syntax.length ? syntax : keyIssues(src);
}

function toPlain(src: SourceDoc, file: string): Record<string, unknown> {
  let data: unknown;
  try {
    // maxAliasCount bounds alias expansion (a "billion laughs" file is refused, not expanded).
    data = src.doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new ScenarioError([{ file, line: 1, path: '', rule: `not valid YAML/JSON: ${(e as Error).message}` }]);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ScenarioError([{ file, line: 1, path: '', rule: 'a scenario file is a mapping of keys to values (fundcast: 1, name: …, …)' }]);
  }
  return data as Record<string, unknown>;
}

/**
 * Merge a child scenario over its base: mappings merge key by key; lists and dated parameters
 * (mappings with a `unit`) are replaced whole, so a child never half-inherits a parameter; a `null`
 * removes the key (as in JSON Merge Patch, RFC 7386), e.g. `hemophilia: null` drops a condition.
 */
export function deepMerge(base: Record<string, unknown>, child: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(child)) {
    const b = out[k];
    if (v === null) delete out[k];
    else if (isPlainObject(v) && isPlainObject(b) && !('unit' in v) && !('unit' in b)) out[k] = deepMerge(b, v);
    else out[k] = v;
  }
  return out;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function pos(src: SourceDoc, path: (string | number)[], key?: string): { line?: number; column?: number } {
  const p = locate(src, path, key);
  return p ? { line: p.line, column: p.column } : {};
}

/** Where an issue is: the first file in the chain (child first) that supplies the path, else the scenario's own file. */
function where(srcs: SourceDoc[], path: (string | number)[], key?: string): { file: string; line?: number; column?: number } {
  for (const s of srcs) {
    if (!owns(s, key === undefined ? path : [...path, key])) continue;
    const p = locate(s, path, key);
    return { file: s.file, line: p?.line, column: p?.column };
  }
  const p = locate(srcs[0], path, key);
  return { file: srcs[0].file, line: p?.line, column: p?.column };
}

function validateMerged(merged: Record<string, unknown>, srcs: SourceDoc[]): LoadedScenario {
  const files = srcs.map((s) => s.file);
  const parsed = ScenarioSchema.safeParse(merged);
  if (!parsed.success) throw new ScenarioError(sortIssues(zodIssues(parsed.error, ScenarioSchema, merged, (path, key) => where(srcs, path, key)), files));
  const scenario = parsed.data;
  const ruleIssues = checkScenarioRules(scenario).map((r) => ({ ...where(srcs, r.path), path: humanPath(r.path, merged), rule: r.rule }));
  if (ruleIssues.length) throw new ScenarioError(sortIssues(ruleIssues, files));
  return { scenario, files, hash: scenarioHash(scenario) };
}

/** sha256 of the scenario's canonical JSON (keys sorted), identifying exactly what was run. */
export function scenarioHash(s: unknown): string {
  return createHash('sha256').update(canonicalJson(s)).digest('hex');
}

export function canonicalJson(x: unknown): string {
  if (Array.isArray(x)) return '[' + x.map(canonicalJson).join(',') + ']';
  if (x !== null && typeof x === 'object') {
    return '{' + Object.keys(x).sort().filter((k) => (x as Record<string, unknown>)[k] !== undefined).map((k) => JSON.stringify(k) + ':' + canonicalJson((x as Record<string, unknown>)[k])).join(',') + '}';
  }
  return JSON.stringify(x);
}
