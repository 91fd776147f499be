/**
 * Reliability: bad input is a clear user error (never a crash or a hang), crashed workers are
 * replaced and their tasks re-run with identical results, interruption writes nothing, a checkpointed
 * run resumes to the same result, and a run that would not fit in memory is refused up front.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FundcastError, loadScenario, parseScenarioText, runScenario, ScenarioError } from '../../engine/index.ts';
import { tinyScenario, tinyScenarioText } from '../helpers/tiny.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CORPUS = join(ROOT, 'test/invalid/scenarios');
const files = readdirSync(CORPUS).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
/** Every `# expect:` line of a case (a .json case: its .expect file's lines), in the order the messages must come. */
const expectations = (f: string): string[] => {
  const p = join(CORPUS, f);
  if (f.endsWith('.json')) return readFileSync(p.replace(/\.json$/, '.expect'), 'utf8').trim().split('\n');
  return [...readFileSync(p, 'utf8').matchAll(/^# expect: (.*)$/gm)].map((m) => m[1]);
};
const expected = (f: string) => expectations(f)[0];

describe('bad scenarios (test/invalid/scenarios): a clear error naming where and why', () => {
  it('holds at least 60 bad inputs', () => expect(files.length).toBeGreaterThanOrEqual(60));

  it.each(files)('%s', (f) => {
    let err: unknown;
    try {
      loadScenario(join(CORPUS, f));
    } catch (e) {
      err = e;
    }
    expect(err, 'must be rejected').toBeInstanceOf(FundcastError);
    const msg = (err as Error).message;
    // each expected message, in this order (errors are sorted by file and line)
    let from = 0;
    for (const e of expectations(f)) {
      const at = msg.indexOf(e, from);
      expect(at, `"${e}" after position ${from} of:\n${msg}`).toBeGreaterThanOrEqual(0);
      from = at + e.length;
    }
    // never the schema library's own wording
    expect(msg).not.toMatch(/Invalid input|received undefined|Too small: expected|Invalid option/);
    if (err instanceof ScenarioError) {
      for (const i of err.issues) {
        // the file where the offending value is: this one, or the base scenario it extends when the
        // rule involves an inherited parameter (e.g. a new condition without an inherited rate)
        expect(i.file.endsWith(f) || i.file.endsWith('scenarios/wuhu-default.yaml'), i.file).toBe(true);
        expect(i.line !== undefined || i.path !== '').toBe(true); // and a line or a parameter path
      }
    }
  });

  it('the CLI exits 2 with file:line, path and rule, and no stack trace', () => {
    for (const f of ['ratio-percent.yaml', 'misspelled-deductible.yaml', 'yaml-bad-indent.yaml', 'wuhu-village-floor.yaml', 'json-trailing-comma.json']) {
      const r = spawnSync(process.execPath, [join(ROOT, 'bin/fundcast.js'), 'validate', join(CORPUS, f)], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status, f).toBe(2);
      expect(r.stderr).toContain(expected(f));
      expect(r.stderr).toMatch(new RegExp(`${f.replace('.', '\\.')}:\\d+`));
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  });
});

describe('fuzzing the scenario parser: no input crashes it or hangs', () => {
  const good = tinyScenarioText();
  const check = (text: string) => {
    const t0 = Date.now();
    try {
      parseScenarioText(text, 'fuzz.yaml');
    } catch (e) {
      if (!(e instanceof FundcastError)) throw new Error(`not a user error for ${JSON.stringify(text.slice(0, 200))}: ${(e as Error).stack}`);
    }
    expect(Date.now() - t0).toBeLessThan(5000);
  };
  it('random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), check), { numRuns: 300 });
  });
  it('mutations of a valid scenario (cut, duplicated, characters replaced)', () => {
    fc.assert(
      fc.property(fc.nat(good.length), fc.nat(good.length), fc.constantFrom('', ':', '{', ']', '-', '\t', '"', '0.5', '\n  x: 1\n', '&a', '*a', '!!js/function'), (i, j, ins) => {
        const [a, b] = i < j ? [i, j] : [j, i];
        check(good.slice(0, a) + ins + good.slice(b));
      }),
      { numRuns: 150 },
    );
  });
  it('deep nesting and alias bombs are refused, not expanded', () => {
    check('fundcast: 1\nname: x\na: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n');
    check('fundcast: 1\nname: x\nz: ' + '['.repeat(500) + ']'.repeat(500) + '\n');
  });
});

const summaryOf = async (o: Parameters<typeof runScenario>[1], l = tinyScenario({ replications: 4, years: 1 })) => {
  const r = await runScenario(l, o);
  return JSON.stringify(r.summary);
};

describe('worker faults', () => {
  it('a worker that dies mid-task is replaced, its task re-run, and the result is identical', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fundcast-fault-'));
    const marker = join(dir, 'crash-once');
    writeFileSync(marker, '');
    const retries: string[] = [];
    process.env.FUNDCAST_FAULT_FILE = marker;
    process.env.FUNDCAST_FAULT_REPLICATION = '1';
    let disturbed: string;
    try {
      disturbed = await summaryOf({ workers: 2, onRetry: (w) => retries.push(w) });
    } finally {
      delete process.env.FUNDCAST_FAULT_FILE;
      delete process.env.FUNDCAST_FAULT_REPLICATION;
    }
    expect(existsSync(marker)).toBe(false); // the worker did crash
    expect(retries.length).toBe(1);
    expect(retries[0]).toContain('replication 1');
    expect(disturbed).toBe(await summaryOf({ workers: 1 }));
  });

  it('a task that fails every time stops the run with a message naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fundcast-fault-'));
    process.env.FUNDCAST_FAULT_FILE = join(dir, 'm');
    process.env.FUNDCAST_FAULT_ALWAYS = '1';
    process.env.FUNDCAST_FAULT_REPLICATION = '2';
    try {
      await expect(summaryOf({ workers: 2, maxAttempts: 2 })).rejects.toThrow(/replication 2 .*failed 2 times/);
    } finally {
      delete process.env.FUNDCAST_FAULT_FILE;
      delete process.env.FUNDCAST_FAULT_ALWAYS;
      delete process.env.FUNDCAST_FAULT_REPLICATION;
    }
  });
});

describe('interruption and resume', () => {
  it('an aborted run rejects with ERR_INTERRUPTED; resuming from its checkpoint gives the uninterrupted result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fundcast-ck-'));
    const file = join(dir, '.checkpoint.jsonl');
    const l = tinyScenario({ replications: 5, years: 2 });
    const abort = new AbortController();
    await expect(
      runScenario(l, { workers: 1, signal: abort.signal, checkpoint: { file, resume: false }, onProgress: (done) => done >= 2 && abort.abort() }),
    ).rejects.toMatchObject({ code: 'ERR_INTERRUPTED', exitCode: 130 });
    const saved = readFileSync(file, 'utf8').trim().split('\n').length - 1;
    expect(saved).toBeGreaterThanOrEqual(2);
    expect(saved).toBeLessThan(5);
    let ran = 0;
    const resumed = await runScenario(l, { workers: 2, checkpoint: { file, resume: true }, onProgress: () => ran++ });
    const plain = await runScenario(l, { workers: 1 });
    expect(JSON.stringify(resumed.summary)).toBe(JSON.stringify(plain.summary));
    expect(resumed.replications.map((r) => r.replication)).toEqual([0, 1, 2, 3, 4]);
  });

  it('a checkpoint of another scenario is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fundcast-ck-'));
    const file = join(dir, '.checkpoint.jsonl');
    await runScenario(tinyScenario({ replications: 1, years: 1 }), { workers: 1, checkpoint: { file, resume: false } });
    await expect(runScenario(tinyScenario({ replications: 1, years: 1, seed: 7 }), { workers: 1, checkpoint: { file, resume: true } })).rejects.toThrow(/another scenario/);
  });

  it('a checkpoint written by fundcast 0.1 (other random draws) is refused, not mixed in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fundcast-ck-'));
    const file = join(dir, '.checkpoint.jsonl');
    const l = tinyScenario({ replications: 1, years: 1 });
    await runScenario(l, { workers: 1, checkpoint: { file, resume: false } });
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, [JSON.stringify({ ...JSON.parse(lines[0]), fundcastCheckpoint: 1 }), ...lines.slice(1)].join('\n'));
    await expect(runScenario(l, { workers: 1, checkpoint: { file, resume: true } })).rejects.toThrow(/fundcast 0\.1, whose random draws differ/);
  });

  it('Ctrl-C on the CLI: exit 130, no result files; --resume finishes with the same results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fundcast-int-'));
    const scen = join(dir, 's.yaml');
    // Large enough (≈ 1 s a replication) that the interrupt lands mid-run.
    writeFileSync(scen, tinyScenarioText({ replications: 12, years: 2, residents: 400_000, residentsPerTownship: 40_000 }));
    const out = join(dir, 'out');
    const cli = [join(ROOT, 'bin/fundcast.js'), 'run', scen, '--workers', '1', '--checkpoint', '--out', out];
    let err = '';
    const code = await new Promise<number | null>((done) => {
      const p = spawn(process.execPath, cli, { stdio: ['ignore', 'pipe', 'pipe'] });
      let sent = false;
      p.stderr.on('data', (d) => {
        err += String(d);
        if (!sent && /simulating replications: \d+\/12 \(25%\)/.test(err)) {
          sent = true;
          p.kill('SIGINT');
        }
      });
      p.on('exit', (c) => done(c));
    });
    expect(code, err).toBe(130);
    expect(err).toContain('interrupted: no results were written');
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    expect(readdirSync(out).filter((f) => !f.startsWith('.'))).toEqual([]); // nothing half-written
    const r = spawnSync(process.execPath, [...cli.slice(0, -3), '--resume', '--quiet', '--out', out], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const plain = join(dir, 'plain');
    spawnSync(process.execPath, [join(ROOT, 'bin/fundcast.js'), 'run', scen, '--workers', '1', '--quiet', '--out', plain], { timeout: 120_000 });
    expect(readFileSync(join(out, 'replications.csv'), 'utf8')).toBe(readFileSync(join(plain, 'replications.csv'), 'utf8'));
    expect(existsSync(join(out, '.checkpoint.jsonl'))).toBe(false); // spent
  }, 120_000);
});

describe('resource guard', () => {
  it('refuses a run that would not fit, with the estimate, before simulating', async () => {
    await expect(runScenario(tinyScenario(), { workers: 1, maxMemoryBytes: 64 * 1024 * 1024 })).rejects.toMatchObject({ code: 'ERR_MEMORY' });
    await expect(runScenario(tinyScenario(), { workers: 1, maxMemoryBytes: 64 * 1024 * 1024 })).rejects.toThrow(/needs about \d+\.\d GiB .*available/);
  });
  it('the CLI reports it as a user error (exit 2)', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/fundcast.js'), 'run', '--replications', '1', '--years', '1', '--max-memory', '0.05', '--quiet', '--out', mkdtempSync(join(tmpdir(), 'fundcast-mem-'))], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('GiB');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
