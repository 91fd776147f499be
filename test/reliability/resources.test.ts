/**
 * Resource sanity (docs/reliability.md §Memory and time): a run that would not finish in the time
 * allowed, or a region larger than any country's, is refused before it starts with the estimate in
 * the message; SIGTERM stops a one-worker run in the middle of a long task (the task yields between
 * blocks); a resumed run says how many replications it restored; progress lines show the true share.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../engine/index.ts';
import { progressBar } from '../../engine/cli/progress.ts';
import { inProcess } from '../helpers/cli.ts';
import { tinyScenario, tinyScenarioText } from '../helpers/tiny.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'fundcast-resources-'));

describe('refused before starting, with the estimate', () => {
  it('a run estimated to take longer than --max-hours', async () => {
    await expect(runScenario(tinyScenario({ replications: 3, years: 2 }), { workers: 1, maxHours: 1e-6 })).rejects.toMatchObject({
      code: 'ERR_TOO_LONG',
      message: expect.stringMatching(/^this run would take at least 0\.0 hours \(40,000 residents × \d+ simulated years × 3 replications on 1 worker, at most 5,000,000 resident-years per second per worker\) — more than the 0\.000001 hours allowed; .*--max-hours/),
    });
  });

  it('a region of more residents than China has (residents: 1e10), before the region is built', async () => {
    await expect(runScenario(tinyScenario({ residents: 1e10 }), { workers: 1 })).rejects.toMatchObject({
      code: 'ERR_REGION_TOO_LARGE',
      message: expect.stringContaining('the region has 10,000,000,000 residents'),
    });
  });

  it('the CLI: exit 2, the message, --max-hours checked', async () => {
    const f = join(tmp, 'tiny.yaml');
    writeFileSync(f, tinyScenarioText({ replications: 2, years: 1 }));
    const r = await inProcess(['run', f, '--out', join(tmp, 'o1'), '--workers', '1', '--quiet', '--max-hours', '0.0000001']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('fundcast run: error: this run would take at least');
    const bad = await inProcess(['run', f, '--out', join(tmp, 'o1'), '--max-hours', '-1']);
    expect(bad.stderr).toContain('--max-hours: must be a positive number, got "-1"');
  });
});

describe('cancellation with one worker', () => {
  it('SIGTERM stops a replication of a large region in its middle: exit 130, no results', async () => {
    // 10⁸ residents: one replication is 10,000 blocks, minutes of work in one task
    const f = join(tmp, 'large.yaml');
    writeFileSync(f, tinyScenarioText({ replications: 1, years: 1, residents: 100_000_000 }));
    const child = spawn(process.execPath, [join(ROOT, 'bin/fundcast.js'), 'run', f, '--out', join(tmp, 'large'), '--workers', '1', '--no-sensitivity'], { cwd: ROOT });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d) => {
      stderr += String(d);
      if (!sent && stderr.includes('simulating replications: 0/1')) sent = child.kill('SIGTERM'); // once: a second SIGTERM is not handled
    });
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(stderr).toContain('interrupted: no results were written');
    expect(stderr).not.toContain('1/1'); // stopped inside the replication, not after it
    expect(code).toBe(130);
  }, 60_000);
});

describe('progress and resume', () => {
  it('each line shows the share done (3/8 is 38%, not the quarter passed)', () => {
    let out = '';
    const stream = Object.assign(new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) }), { isTTY: false }) as unknown as NodeJS.WriteStream;
    const bar = progressBar('sim', stream);
    for (let d = 0; d <= 8; d++) bar(d, 8);
    expect(out.split('\n').filter(Boolean).map((l) => l.replace(/ [\d.]+s$/, ''))).toEqual(['sim: 0/8 (0%)', 'sim: 2/8 (25%)', 'sim: 4/8 (50%)', 'sim: 6/8 (75%)', 'sim: 8/8 (100%)']);
    out = '';
    const b2 = progressBar('sim', stream);
    for (const d of [0, 3, 5, 8]) b2(d, 8);
    expect(out).toContain('sim: 3/8 (38%)');
    expect(out).toContain('sim: 5/8 (63%)');
  });

  it('a resumed run says how many replications it restored, and its progress starts there', async () => {
    const out = join(tmp, 'resume');
    const f = join(tmp, 'resume.yaml');
    writeFileSync(f, tinyScenarioText({ replications: 5, years: 1 }));
    const abort = new AbortController();
    const { loadScenario } = await import('../../engine/index.ts');
    await expect(
      runScenario(loadScenario(f), { workers: 1, signal: abort.signal, checkpoint: { file: join(out, '.checkpoint.jsonl'), resume: false }, onProgress: (d) => d >= 2 && abort.abort() }),
    ).rejects.toMatchObject({ code: 'ERR_INTERRUPTED' });
    const r = await inProcess(['run', f, '--out', out, '--workers', '1', '--resume', '--no-sensitivity']);
    expect(r.code, r.stderr).toBe(0);
    const m = /resuming: (\d) replications restored from .*\.checkpoint\.jsonl/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect(r.stderr).toContain(`simulating replications: ${m![1]}/5`);
  });
});
