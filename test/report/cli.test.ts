// `fundcast report DIR` and `fundcast run --report` as a user runs them (node bin/fundcast.js).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../engine/cli/main.ts';
import { fixtureScenarioText, makeRunDir, removeDir } from './fixture.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/fundcast.js');

interface Out {
  code: number | null;
  stdout: string;
  stderr: string;
}

function fundcast(args: string[]): Promise<Out> {
  return new Promise((res) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 }, (err, stdout, stderr) =>
      res({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

function expectUserError(o: Out, pattern: RegExp) {
  expect(o.code, o.stderr).toBe(2);
  expect(o.stderr).toMatch(/^fundcast \w+: error: /);
  expect(o.stderr).toMatch(pattern);
  expect(o.stderr).not.toMatch(/internal error|^\s{4}at /m);
}

const tmp = mkdtempSync(join(tmpdir(), 'fundcast-report-cli-'));
const runDir = join(tmp, 'run'); // written by `fundcast run --report --lang en`
let reportDir: string; // written in-process, then `fundcast report DIR`
afterAll(() => removeDir(tmp));

let run: Out;
let report: Out;

beforeAll(async () => {
  const scenario = join(tmp, 'report-test.yaml');
  writeFileSync(scenario, fixtureScenarioText());
  reportDir = await makeRunDir(join(tmp, 'report'));
  // Two processes at once: each costs a tsx start-up and renders every chart.
  [run, report] = await Promise.all([
    fundcast(['run', scenario, '--out', runDir, '--workers', '1', '--quiet', '--report', '--lang', 'en']),
    fundcast(['report', reportDir]),
  ]);
});

/** `main(argv)` in this process, with its stdout and stderr captured (cheap: no tsx start-up). */
async function inProcess(argv: string[]): Promise<Out> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (out.push(String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => (err.push(String(c)), true));
  try {
    const code = await main(argv);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('fundcast run --report', () => {
  it('writes the results, then report.html and charts/ in the language asked for', () => {
    expect(run.code, run.stderr).toBe(0);
    for (const f of ['summary.json', 'run.json', 'scenario.json', 'charts/fund-outlay-fan.png']) expect(existsSync(join(runDir, f)), f).toBe(true);
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Fund outlay by year (10k yuan)');
  });
});

describe('fundcast report DIR', () => {
  it('writes report.html (zh by default) and an SVG and a PNG per chart', () => {
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/Report: .*report\.html \(\d+ charts/);
    const html = readFileSync(join(reportDir, 'report.html'), 'utf8');
    expect(html).toContain('<html lang="zh-CN">');
    const charts = readdirSync(join(reportDir, 'charts'));
    const svgs = charts.filter((f) => f.endsWith('.svg'));
    for (const s of svgs) expect(charts).toContain(s.replace(/\.svg$/, '.png'));
    for (const name of ['fund-outlay-fan', 'fund-balance', 'capitation-settlement', 'point-value', 'model-differences', 'facility-revenue']) expect(svgs).toContain(`${name}.svg`);
    expect(charts.filter((f) => f.startsWith('.fundcast-tmp'))).toEqual([]);
  });

  it('is listed in fundcast --help and has its own --help', async () => {
    const [top, help] = [await inProcess(['--help']), await inProcess(['report', '--help'])];
    expect(top.stdout).toMatch(/^\s+report\s/m);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('fundcast report DIR');
    expect(help.stdout).toContain('--lang zh|en');
    const run = await inProcess(['run', '--help']);
    expect(run.stdout).toContain('--report');
  });

  it('user mistakes exit 2 with a message: no DIR, not a run directory, unknown language', async () => {
    expectUserError(await inProcess(['report']), /which run directory/);
    expectUserError(await inProcess(['report', tmp]), /not a fundcast run directory: summary\.json is missing/);
    expectUserError(await inProcess(['report', join(tmp, 'nowhere')]), /not a fundcast run directory: no such directory/);
    expectUserError(await inProcess(['report', reportDir, '--lang', 'fr']), /--lang: must be one of zh, en, got "fr"/);
    expectUserError(await inProcess(['run', '--lang', 'fr']), /--lang: must be one of zh, en/); // checked before simulating
  });
});
