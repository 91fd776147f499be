/**
 * Output sets (docs/reliability.md §Output folders): a command's files are swapped into OUT whole, so
 * OUT holds the complete old set or the complete new set — never a mix of two runs, never a partial
 * set — whatever fails (a file that cannot be written, a full disk, a folder that cannot be moved).
 * Faults are injected through FUNDCAST_FAULT_OUTPUT (engine/report/atomic.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOutputSet } from '../../engine/index.ts';
import { inProcess } from '../helpers/cli.ts';
import { tinyScenarioText } from '../helpers/tiny.ts';
import { removeDir } from '../report/fixture.ts';

const tmp = mkdtempSync(join(tmpdir(), 'fundcast-outset-'));
const scenario = join(tmp, 'tiny.yaml');
afterAll(() => removeDir(tmp));
beforeAll(() => writeFileSync(scenario, tinyScenarioText({ replications: 2, years: 1, residents: 20000 })));

const run = (out: string, seed: number, ...more: string[]) => inProcess(['run', scenario, '--out', out, '--workers', '1', '--seed', String(seed), '--quiet', ...more]);

/** Every file under `dir` (relative path → bytes as hex-free string). */
function snapshot(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + e.name;
    if (e.isDirectory()) Object.assign(out, snapshot(join(dir, e.name), rel + '/'));
    else out[rel] = createHash('sha256').update(readFileSync(join(dir, e.name))).digest('hex');
  }
  return out;
}

/** The set is complete and verified by run.json's manifest; returns its seed. */
function verifiedSeed(dir: string): number {
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { seed: number; files: { path: string; bytes: number; sha256: string }[] };
  expect(run.files.map((f) => f.path)).toEqual(expect.arrayContaining(['facilities.csv', 'replications.csv', 'scenario.json', 'summary.json']));
  for (const f of run.files) {
    const bytes = readFileSync(join(dir, f.path));
    expect(bytes.length, f.path).toBe(f.bytes);
    expect(createHash('sha256').update(bytes).digest('hex'), f.path).toBe(f.sha256);
  }
  // every file of the set is of the same run
  expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).seed).toBe(run.seed);
  expect(JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8')).seed).toBe(run.seed);
  return run.seed;
}

/** No temporary folder of a set is left beside OUT. */
const noLeftovers = (parent: string) => expect(readdirSync(parent).filter((n) => n.includes('.fundcast-'))).toEqual([]);

describe('a run writes its files as one set', () => {
  it('run.json lists every file with its sha256; a rerun replaces the set whole and keeps the user\'s own files', async () => {
    const parent = join(tmp, 'a');
    const out = join(parent, 'out');
    expect((await run(out, 1, '--by-facility')).code).toBe(0);
    expect(verifiedSeed(out)).toBe(1);
    expect(existsSync(join(out, 'facility-results.csv'))).toBe(true);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    expect((await run(out, 2)).code).toBe(0);
    expect(verifiedSeed(out)).toBe(2);
    // facility-results.csv was of the old set: gone with it; notes.txt is the user's: kept
    expect(existsSync(join(out, 'facility-results.csv'))).toBe(false);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    noLeftovers(parent);
  });

  for (const [what, file, code] of [
    ['a full disk while writing the first file', 'summary.json', 'ENOSPC'],
    ['a full disk while writing run.json (the last file)', 'run.json', 'ENOSPC'],
    ['a file that cannot be written (permission)', 'scenario.json', 'EACCES'],
  ] as const) {
    it(`${what}: exit 2, OUT still holds the complete old set`, async () => {
      const parent = join(tmp, `fault-${file}-${code}`);
      const out = join(parent, 'out');
      expect((await run(out, 1)).code).toBe(0);
      const before = snapshot(out);
      process.env.FUNDCAST_FAULT_OUTPUT = file;
      process.env.FUNDCAST_FAULT_OUTPUT_CODE = code;
      let r;
      try {
        r = await run(out, 2);
      } finally {
        delete process.env.FUNDCAST_FAULT_OUTPUT;
        delete process.env.FUNDCAST_FAULT_OUTPUT_CODE;
      }
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`fundcast run: error: cannot write results to ${out}: `);
      expect(r.stderr).toContain(`(${code}: `);
      expect(r.stderr).toContain(`${out} is unchanged (it holds the previous results)`);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(snapshot(out)).toEqual(before);
      expect(verifiedSeed(out)).toBe(1);
      noLeftovers(parent);
    });
  }

  it('a first run that fails leaves no folder at all (never a partial set)', async () => {
    const parent = join(tmp, 'first');
    process.env.FUNDCAST_FAULT_OUTPUT = 'replications.csv';
    try {
      const r = await run(join(parent, 'out'), 1);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('no space left on the device');
      expect(r.stderr).toContain('nothing was written');
    } finally {
      delete process.env.FUNDCAST_FAULT_OUTPUT;
    }
    expect(existsSync(join(parent, 'out'))).toBe(false);
    noLeftovers(parent);
  });

  it('an old folder that cannot be replaced (the rename fails): the old set stays, whole', async () => {
    const parent = join(tmp, 'swap');
    const out = join(parent, 'out');
    expect((await run(out, 1)).code).toBe(0);
    const before = snapshot(out);
    process.env.FUNDCAST_FAULT_OUTPUT = '.swap';
    process.env.FUNDCAST_FAULT_OUTPUT_CODE = 'EPERM';
    let r;
    try {
      r = await run(out, 2);
    } finally {
      delete process.env.FUNDCAST_FAULT_OUTPUT;
      delete process.env.FUNDCAST_FAULT_OUTPUT_CODE;
    }
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the new results could not be moved in (operation not permitted');
    expect(r.stderr).toContain('the old results are unchanged');
    expect(snapshot(out)).toEqual(before);
    noLeftovers(parent);
  });

  it.skipIf(process.getuid?.() === 0)('a read-only parent folder is refused before anything is simulated', async () => {
    const { chmodSync } = await import('node:fs');
    const parent = join(tmp, 'ro');
    mkdirSync(parent);
    chmodSync(parent, 0o555);
    try {
      const r = await inProcess(['run', scenario, '--out', join(parent, 'out'), '--workers', '1']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('permission denied (EACCES');
      expect(r.stderr).not.toContain('simulating');
    } finally {
      chmodSync(parent, 0o755);
    }
  });

  it('an --out that cannot be a folder is refused before anything is simulated', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const r = await inProcess(['run', scenario, '--out', join(file, 'out'), '--workers', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`fundcast run: error: cannot write results to ${join(file, 'out')}: a part of the path is a file, not a folder (ENOTDIR`);
    expect(r.stderr).not.toContain('simulating'); // the progress lines of the simulation
    const r2 = await inProcess(['run', scenario, '--out', file, '--workers', '1']);
    expect(r2.stderr).toContain('it exists and is not a folder');
    expect(r2.stderr).not.toContain('simulating');
  });

  it('the current folder is not an output folder (it cannot be replaced whole)', async () => {
    const r = await inProcess(['run', scenario, '--out', '.', '--workers', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('it is the current folder or holds it; give a folder of its own');
  });

  it('fundcast report adds to the run\'s set: the manifest lists the report; a failed report leaves the set as it was', async () => {
    const parent = join(tmp, 'rep');
    const out = join(parent, 'out');
    expect((await run(out, 1)).code).toBe(0);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const before = snapshot(out);
    process.env.FUNDCAST_FAULT_OUTPUT = 'report.html';
    try {
      const r = await inProcess(['report', out, '--quiet']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${out} is unchanged`);
    } finally {
      delete process.env.FUNDCAST_FAULT_OUTPUT;
    }
    expect(snapshot(out)).toEqual(before);
    expect((await inProcess(['report', out, '--quiet'])).code).toBe(0);
    expect(verifiedSeed(out)).toBe(1);
    const listed = (JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { files: { path: string }[] }).files.map((f) => f.path);
    expect(listed).toContain('report.html');
    expect(listed.some((f) => /^charts\/.+\.svg$/.test(f))).toBe(true);
    expect(listed).not.toContain('notes.txt');
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    // the unchanged files of the run are the same files (hard links or copies with the same bytes)
    for (const f of ['summary.json', 'replications.csv', 'scenario.json']) expect(snapshot(out)[f]).toBe(before[f]);
    noLeftovers(parent);
  });

  it('an immutable file in OUT (chattr +i, the trial\'s case): the complete new set goes in, the old folder stays aside with a warning', async (ctx) => {
    const { spawnSync } = await import('node:child_process');
    const parent = join(tmp, 'immutable');
    const out = join(parent, 'out');
    expect((await run(out, 1)).code).toBe(0);
    const locked = join(out, 'scenario.json');
    if (spawnSync('chattr', ['+i', locked]).status !== 0) ctx.skip(); // needs root and a file system with attributes
    let aside: string | undefined;
    try {
      const r = await run(out, 2);
      expect(r.code, r.stderr).toBe(0);
      expect(verifiedSeed(out)).toBe(2); // every file of the new run, none of the old
      aside = readdirSync(parent).find((n) => n.startsWith('.out.fundcast-old-'));
      expect(aside).toBeDefined();
      expect(r.stderr).toContain(`fundcast run: warning: the previous results, moved aside to ${join(parent, aside!)}, could not be removed (`);
      expect(r.stderr).toContain(`${out} holds the new results, complete`);
    } finally {
      spawnSync('chattr', ['-i', aside ? join(parent, aside, 'scenario.json') : locked]);
    }
  });

  it('an --out that is a link to a folder: the folder is replaced, the link stays', async () => {
    const { symlinkSync, lstatSync } = await import('node:fs');
    const parent = join(tmp, 'link');
    mkdirSync(join(parent, 'real'), { recursive: true });
    symlinkSync(join(parent, 'real'), join(parent, 'out'));
    expect((await run(join(parent, 'out'), 3)).code).toBe(0);
    expect(lstatSync(join(parent, 'out')).isSymbolicLink()).toBe(true);
    expect(verifiedSeed(join(parent, 'real'))).toBe(3);
    noLeftovers(parent);
  });

  it('after a crash between the two renames, the old folder is put back', () => {
    const parent = join(tmp, 'crash');
    mkdirSync(parent);
    const aside = join(parent, '.out.fundcast-old-999999999-x');
    mkdirSync(aside);
    writeFileSync(join(aside, 'run.json'), '{}');
    const set = openOutputSet(join(parent, 'out'));
    set.discard();
    expect(statSync(join(parent, 'out')).isDirectory()).toBe(true);
    expect(readFileSync(join(parent, 'out', 'run.json'), 'utf8')).toBe('{}');
    noLeftovers(parent);
  });
});
