/**
 * The engine's import boundaries (README.md, "Architecture"): the CLI uses
 * only the public API, nothing imports the CLI, each pipeline stage imports only the stages before
 * it, and payment models do not know each other. Checked with dependency-cruiser on the sources.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cruise, type IForbiddenRuleType } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** A stage folder must not import any of `later` (folders under engine/). */
function stage(name: string, later: string[]): IForbiddenRuleType {
  return {
    name: `stage-order: ${name}`,
    severity: 'error',
    comment: `engine/${name}/ comes before ${later.join(', ')} in the pipeline`,
    from: { path: `^engine/${name}/` },
    to: { path: `^engine/(${later.join('|')})/` },
  };
}

const AFTER_PARAMS = ['population', 'utilization', 'benefits', 'settlement', 'ledger', 'risk', 'report', 'run', 'replay', 'cli'];

export const RULES: IForbiddenRuleType[] = [
  {
    name: 'cli-public-api',
    severity: 'error',
    comment: 'engine/cli/ uses only the public API (engine/index.ts) and its own folder',
    from: { path: '^engine/cli/' },
    to: { path: '^engine/', pathNot: ['^engine/cli/', '^engine/index\\.ts$'] },
  },
  {
    name: 'nothing-imports-cli',
    severity: 'error',
    from: { path: '^(engine|workers)/', pathNot: '^engine/cli/' },
    to: { path: '^engine/cli/' },
  },
  {
    name: 'engine-not-through-index',
    severity: 'error',
    comment: 'inside the engine, modules import each other directly, never through the public face',
    from: { path: '^engine/', pathNot: '^engine/cli/' },
    to: { path: '^engine/index\\.ts$' },
  },
  {
    name: 'workers-use-the-pool',
    severity: 'error',
    comment: 'a worker thread loads the simulation only (engine/run/pool.ts), not the whole API',
    from: { path: '^workers/' },
    to: { path: '^engine/', pathNot: '^engine/run/pool\\.ts$' },
  },
  {
    name: 'foundations-import-no-stage',
    severity: 'error',
    from: { path: '^engine/(money|rng|csv)/' },
    to: { path: '^engine/(params|population|utilization|benefits|payment|settlement|ledger|risk|report|run|replay|cli)/' },
  },
  // params may read the payment plugins' scenario parts (engine/payment/specs.ts and spec parts).
  { ...stage('params', AFTER_PARAMS), name: 'stage-order: params' },
  {
    name: 'params-reads-only-payment-specs',
    severity: 'error',
    from: { path: '^engine/params/' },
    to: { path: '^engine/payment/', pathNot: ['^engine/payment/specs\\.ts$', '^engine/payment/spec-part\\.ts$', '^engine/payment/[^/]+/spec\\.ts$'] },
  },
  stage('population', ['utilization', 'benefits', 'payment', 'settlement', 'ledger', 'risk', 'report', 'run', 'replay', 'cli']),
  stage('benefits', ['population', 'utilization', 'payment', 'settlement', 'ledger', 'risk', 'report', 'run', 'replay', 'cli']),
  stage('utilization', ['payment', 'settlement', 'ledger', 'risk', 'report', 'run', 'replay', 'cli']),
  stage('settlement', ['params', 'population', 'utilization', 'benefits', 'payment', 'ledger', 'risk', 'report', 'run', 'replay', 'cli']),
  stage('payment', ['ledger', 'risk', 'report', 'run', 'replay', 'cli']),
  stage('ledger', ['population', 'utilization', 'payment', 'settlement', 'risk', 'report', 'run', 'replay', 'cli']),
  stage('risk', ['population', 'utilization', 'payment', 'settlement', 'report', 'run', 'replay', 'cli']),
  {
    name: 'payment-models-apart',
    severity: 'error',
    comment: 'a payment model (one folder under engine/payment/) never imports another model',
    from: { path: '^engine/payment/([^/]+)/' },
    to: { path: '^engine/payment/[^/]+/', pathNot: '^engine/payment/$1/' },
  },
];

async function violations(rules: IForbiddenRuleType[]) {
  const result = await cruise(['engine', 'workers'], {
    parser: 'swc',
    validate: true,
    ruleSet: { forbidden: rules },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    baseDir: ROOT,
  });
  if (typeof result.output === 'string') throw new Error('dependency-cruiser returned text');
  return result.output;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('import boundaries', () => {
  it('every module resolves and no rule is broken', async () => {
    const out = await violations(RULES);
    const unresolved = out.modules.flatMap((m) => m.dependencies.filter((d) => d.couldNotResolve && !d.coreModule && d.dependencyTypes.includes('local')).map((d) => `${m.source} → ${d.module}`));
    expect(unresolved).toEqual([]);
    expect(out.modules.filter((m) => m.source.startsWith('engine/')).length).toBeGreaterThan(100);
    expect(out.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  }, 60_000);

  it('the check finds a violation when there is one (each kind of rule fires on the real graph)', async () => {
    // Turn each rule around on an edge the engine really has: proof that the rules see the imports.
    const out = await violations([
      { name: 'index-imports-run', severity: 'error', from: { path: '^engine/index\\.ts$' }, to: { path: '^engine/run/' } },
      { name: 'cli-imports-index', severity: 'error', from: { path: '^engine/cli/' }, to: { path: '^engine/index\\.ts$' } },
      { name: 'capitation-imports-root', severity: 'error', from: { path: '^engine/payment/([^/]+)/' }, to: { path: '^engine/payment/[^/]+\\.ts$' } },
    ]);
    expect(new Set(out.summary.violations.map((v) => v.rule.name))).toEqual(new Set(['index-imports-run', 'cli-imports-index', 'capitation-imports-root']));
  }, 60_000);

  it("package.json's exports: the public API by the package's name, and nothing deeper", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string> };
    expect(pkg.exports['.']).toBe('./engine/index.ts');
    const api = await import('fundcast');
    expect(typeof api.runScenario).toBe('function');
    expect(typeof api.loadScenario).toBe('function');
    // Worker internals are not part of the public face.
    expect(Object.keys(api)).not.toContain('runTask');
    expect(Object.keys(api)).not.toContain('compileForReplication');
    expect(Object.keys(pkg.exports).every((k) => k === '.' || k === './package.json')).toBe(true);
  });

  it('no switch on a payment model type outside engine/payment/ (the registry dispatches)', () => {
    const types = ['capitation', 'points', 'feeForService', 'globalBudget'].join('|');
    const pattern = new RegExp(`case '(${types})'|type === '(${types})'|type !== '(${types})'`);
    const hits = [...sources(join(ROOT, 'engine')), ...sources(join(ROOT, 'workers'))]
      .filter((p) => !p.includes(`${join('engine', 'payment')}/`))
      .flatMap((p) => readFileSync(p, 'utf8').split('\n').flatMap((l, i) => (pattern.test(l) ? [`${p.slice(ROOT.length + 1)}:${i + 1}: ${l.trim()}`] : [])));
    expect(hits).toEqual([]);
  });
});
