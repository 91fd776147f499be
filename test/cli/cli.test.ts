// The `fundcast` command as a user runs it: `node bin/fundcast.js …` from the TypeScript sources.
// Each spawn costs ~1 s (tsx start-up), so independent commands run concurrently.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/fundcast.js');
const DEFAULT_FILE = join(ROOT, 'scenarios/wuhu-default.yaml');

interface Out {
  code: number | null;
  stdout: string;
  stderr: string;
}

function fundcast(args: string[], cwd = ROOT): Promise<Out> {
  return new Promise((res) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { ...process.env, FUNDCAST_FROM_SOURCE: '1', NO_COLOR: '1' }, timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
      (err, stdout, stderr) => res({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

/** A user error: exit 2, a message, no stack trace. */
function expectUserError(o: Out) {
  expect(o.code, o.stderr).toBe(2);
  expect(o.stderr.trim().length).toBeGreaterThan(0);
  expect(o.stderr).not.toMatch(/^\s{4}at /m);
  expect(o.stderr).not.toMatch(/internal error/);
}

const RUN_FLAGS = ['--replications', '--years', '--seed', '--workers', '--out'];

const dir = mkdtempSync(join(tmpdir(), 'fundcast-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tinyYaml = `fundcast: 1
extends: ${DEFAULT_FILE}
name: tiny-cli
title: tiny CLI test region
replications: 5
horizon: { startYear: 2025, years: 3 }
region:
  residentsPerTownship: 10000
  counties:
    - { id: tiny, name: 小县, residents: 40000, urbanShare: 0.5 }
`;
const TINY = join(dir, 'tiny.yaml');
writeFileSync(TINY, tinyYaml);

describe('help and schema', () => {
  let outs: Record<string, Out>;
  beforeAll(async () => {
    const cmds: Record<string, string[]> = {
      help: ['--help'],
      run: ['run', '--help'],
      runH: ['run', '-h'],
      validate: ['validate', '--help'],
      schemaHelp: ['schema', '--help'],
      schema: ['schema'],
    };
    const entries = await Promise.all(Object.entries(cmds).map(async ([k, a]) => [k, await fundcast(a)] as const));
    outs = Object.fromEntries(entries);
  });

  it('--help lists the commands and exits 0', () => {
    expect(outs.help.code).toBe(0);
    for (const c of ['run', 'validate', 'schema']) expect(outs.help.stdout).toContain(c);
  });

  it('run --help exits 0 and documents every flag of run', () => {
    for (const o of [outs.run, outs.runH]) {
      expect(o.code).toBe(0);
      for (const f of RUN_FLAGS) expect(o.stdout).toContain(f);
      expect(o.stdout).toContain('summary.json');
    }
  });

  it('validate --help and schema --help exit 0', () => {
    expect(outs.validate.code).toBe(0);
    expect(outs.validate.stdout).toMatch(/fundcast validate/);
    expect(outs.schemaHelp.code).toBe(0);
    expect(outs.schemaHelp.stdout).toMatch(/fundcast schema/);
  });

  it('schema prints valid JSON Schema', () => {
    expect(outs.schema.code).toBe(0);
    const js = JSON.parse(outs.schema.stdout) as { $schema: string; properties: Record<string, unknown> };
    expect(js.$schema).toMatch(/json-schema\.org/);
    expect(js.properties).toHaveProperty('benefits');
    expect(js.properties).toHaveProperty('horizon');
  });
});

describe('validate', () => {
  const bad = `fundcast: 1
extends: wuhu-default
name: bad-one
benefits:
  ratio:
    unit: share
    source: "assumption: percent by mistake"
    value: { village: 65, township: 0.6, hospital: 0.55 }
  deductable: { unit: yuan/year, source: "assumption: typo", value: 200 }
`;
  const BAD = join(dir, 'bad.yaml');
  writeFileSync(BAD, bad);
  let good: Out, badOut: Out, byName: Out, missing: Out, none: Out;
  beforeAll(async () => {
    [good, badOut, byName, missing, none] = await Promise.all([
      fundcast(['validate', 'scenarios/wuhu-default.yaml']),
      fundcast(['validate', BAD]),
      fundcast(['validate', 'wuhu-default']),
      fundcast(['validate', join(dir, 'does-not-exist.yaml')]),
      fundcast(['validate']),
    ]);
  });

  it('the default scenario is valid: exit 0', () => {
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain('wuhu-default');
    expect(byName.code).toBe(0);
  });

  it('a bad scenario: exit 2, every error as file:line: path: rule, no stack trace', () => {
    expectUserError(badOut);
    expect(badOut.stderr).toContain(`${BAD}:8:`);
    expect(badOut.stderr).toContain('benefits.ratio.value.village');
    expect(badOut.stderr).toContain('≤ 1');
    expect(badOut.stderr).toContain(`${BAD}:9:`);
    expect(badOut.stderr).toContain('benefits.deductable');
    expect(badOut.stderr).toContain('did you mean "deductible"');
  });

  it('a nonexistent file or no file: exit 2', () => {
    expectUserError(missing);
    expect(missing.stderr).toContain('does-not-exist.yaml');
    expectUserError(none);
  });
});

describe('run', () => {
  const out1 = join(dir, 'out-w1');
  const out2 = join(dir, 'out-w2');
  let r1: Out, r2: Out;
  beforeAll(async () => {
    // sequential: the 2-worker run should not compete with the other for the 2 cores' timing
    r1 = await fundcast(['run', TINY, '--replications', '3', '--years', '2', '--seed', '11', '--workers', '1', '--out', out1]);
    r2 = await fundcast(['run', TINY, '--replications', '3', '--years', '2', '--seed', '11', '--workers', '2', '--quiet', '--out', out2]);
  });

  it('exits 0, prints a summary and writes the result files', () => {
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stdout).toContain('tiny CLI test region');
    expect(r1.stdout).toContain('2025');
    for (const f of ['summary.json', 'replications.csv', 'run.json', 'facilities.csv', 'scenario.json']) expect(existsSync(join(out1, f)), f).toBe(true);
    // no temporary files left behind (atomic writes)
    expect(readdirSync(out1).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('summary.json has per-model, per-year distributions and byTier', () => {
    const s = JSON.parse(readFileSync(join(out1, 'summary.json'), 'utf8'));
    expect(s.seed).toBe(11);
    expect(s.replications).toBe(3);
    expect(s.years).toEqual([2025, 2026]);
    expect(s.models[0].name).toBe('ffs');
    expect(s.models[0].years).toHaveLength(2);
    for (const y of s.models[0].years) {
      for (const k of ['mean', 'sd', 'p5', 'p50', 'p95']) expect(typeof y.fundOutlay[k], k).toBe('number');
      expect(y.fundOutlay.p5).toBeLessThanOrEqual(y.fundOutlay.p50);
      expect(y.fundOutlay.p50).toBeLessThanOrEqual(y.fundOutlay.p95);
      expect(y.fundOutlay.mean).toBeGreaterThan(0);
      for (const t of ['village', 'township', 'hospital', 'offSite']) expect(typeof y.byTier[t].fundPayment.mean).toBe('number');
    }
  });

  it('replications.csv has a header and one row per replication × year (× payment model)', () => {
    const lines = readFileSync(join(out1, 'replications.csv'), 'utf8').trim().split('\n');
    const header = lines[0].split(',');
    for (const c of ['replication', 'year', 'model', 'fund_outlay']) expect(header).toContain(c);
    const [ri, yi, mi] = ['replication', 'year', 'model'].map((c) => header.indexOf(c));
    const ffs = lines.slice(1).filter((l) => l.split(',')[mi] === 'ffs');
    expect(ffs).toHaveLength(3 * 2);
    const models = new Set(lines.slice(1).map((l) => l.split(',')[mi]));
    expect(lines).toHaveLength(1 + 3 * 2 * models.size);
    const keys = ffs.map((l) => `${l.split(',')[ri]}/${l.split(',')[yi]}`).sort();
    expect(keys).toEqual(['0/2025', '0/2026', '1/2025', '1/2026', '2/2025', '2/2026']);
  });

  it('run.json records what was run', () => {
    const run = JSON.parse(readFileSync(join(out1, 'run.json'), 'utf8'));
    expect(run.scenarioHash).toMatch(/^[0-9a-f]{64}$/);
    expect(run.seed).toBe(11);
    expect(run.replications).toBe(3);
    expect(run.fundcastVersion).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect(typeof run.wallSeconds).toBe('number');
    expect(run.wallSeconds).toBeGreaterThanOrEqual(0);
    expect(run.workers).toBe(1);
    expect(run.scenarioFiles).toEqual([TINY, DEFAULT_FILE]);
  });

  it('--workers 1 and --workers 2 with the same seed give identical summary.json', () => {
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stdout).toBe(''); // --quiet
    expect(readFileSync(join(out2, 'summary.json'), 'utf8')).toBe(readFileSync(join(out1, 'summary.json'), 'utf8'));
    expect(readFileSync(join(out2, 'replications.csv'), 'utf8')).toBe(readFileSync(join(out1, 'replications.csv'), 'utf8'));
    expect(JSON.parse(readFileSync(join(out2, 'run.json'), 'utf8')).workers).toBe(2);
  });
});

describe('user errors: exit 2, a message naming the problem, no stack trace', () => {
  let outs: Record<string, Out>;
  beforeAll(async () => {
    const cmds: Record<string, string[]> = {
      unknownFlag: ['run', TINY, '--replicatoins', '3'],
      zeroReps: ['run', TINY, '--replications', '0'],
      notNumber: ['run', TINY, '--years', 'five'],
      unknownCommand: ['simulate'],
      missingFile: ['run', join(dir, 'nope.yaml')],
      badScenario: ['run', join(dir, 'bad-run.yaml')],
    };
    writeFileSync(join(dir, 'bad-run.yaml'), 'fundcast: 1\nextends: wuhu-default\nname: bad-run\nseed: -3\n');
    const entries = await Promise.all(Object.entries(cmds).map(async ([k, a]) => [k, await fundcast(a)] as const));
    outs = Object.fromEntries(entries);
  });

  it('an unknown flag is named', () => {
    expectUserError(outs.unknownFlag);
    expect(outs.unknownFlag.stderr).toContain('--replicatoins');
  });

  it('--replications 0 names --replications', () => {
    expectUserError(outs.zeroReps);
    expect(outs.zeroReps.stderr).toContain('--replications');
    expectUserError(outs.notNumber);
    expect(outs.notNumber.stderr).toContain('--years');
  });

  it('an unknown command is named', () => {
    expectUserError(outs.unknownCommand);
    expect(outs.unknownCommand.stderr).toContain('simulate');
  });

  it('a nonexistent scenario file is named', () => {
    expectUserError(outs.missingFile);
    expect(outs.missingFile.stderr).toContain('nope.yaml');
  });

  it('an invalid scenario given to run names file:line, path and rule', () => {
    expectUserError(outs.badScenario);
    expect(outs.badScenario.stderr).toContain(`${join(dir, 'bad-run.yaml')}:4`);
    expect(outs.badScenario.stderr).toContain('seed');
    expect(outs.badScenario.stderr).toContain('≥ 0');
  });
});

// Regression (fixed): from the sources (no dist/ build, the documented `npx fundcast run` path),
// the worker pool started threads with `--import tsx`, which Node resolves against the *current
// directory*; run anywhere but the package root, `--workers 2` failed with
// "Cannot find package 'tsx' imported from <cwd>" (exit 1, "simulation task … failed").
describe('run from another directory', () => {
  it('--workers 2 works when the current directory is not the package root', async () => {
    const o = await fundcast(['run', TINY, '--replications', '2', '--years', '1', '--workers', '2', '--quiet', '--out', join(dir, 'out-elsewhere')], dir);
    expect(o.code, o.stderr).toBe(0);
    expect(existsSync(join(dir, 'out-elsewhere', 'summary.json'))).toBe(true);
  });
});
