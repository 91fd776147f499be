// `fundcast replay` and `fundcast calibrate` as a user runs them: help, exit codes, files written,
// and bad input (a missing file, a missing column, a bad flag, too many rejected rows) as a clear
// error naming file, line and column, exit 2, no stack trace. Three commands run as real processes
// (concurrently; each pays ~2 s of tsx start-up); the others call the CLI's main() in this process.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcess, subprocess, type CliOut } from '../helpers/cli.ts';
import { CLAIMS_HEADER, DEMO, ENROLLMENT_HEADER, PERSONS, claim, csv, tmp, write } from './helpers.ts';

type Out = CliOut;
const fundcast = subprocess;

function expectUserError(o: Out, pattern: RegExp) {
  expect(o.code, o.stderr + o.stdout).toBe(2);
  expect(o.stderr).toMatch(pattern);
  expect(o.stderr).not.toMatch(/^\s{4}at /m);
  expect(o.stderr).not.toMatch(/internal error/);
}

const t = tmp('fundcast-replay-cli-');
afterAll(t.done);
const d = t.dir;
const enrollment = write(d, 'e.csv', csv([ENROLLMENT_HEADER, ...PERSONS]));
const noFund = write(d, 'nofund.csv', csv([CLAIMS_HEADER.filter((h) => h !== 'fund_paid'), ['C1', 'P1', '2025-01-01', 'v1', 'village', 'outpatient', '10', '10', '0', '0', '0', '']]));
const goodRows = Array.from({ length: 30 }, (_, i) => claim(`C${i}`, 'P1', `2025-01-${String(1 + (i % 28)).padStart(2, '0')}`, 'v1', 'village', 10, 0));
const manyBad = write(d, 'bad.csv', csv([CLAIMS_HEADER, ...goodRows, claim('X1', 'P1', '2025-02-30', 'v1', 'village', 10, 0), claim('X2', 'P404', '2025-01-01', 'v1', 'village', 10, 0)]));

let o: Record<string, Out>;
beforeAll(async () => {
  // Real processes: the binary's exit code and output, end to end.
  const spawned: Record<string, string[]> = {
    replay: ['replay', '--enrollment', DEMO.enrollmentGbk, '--claims', DEMO.claimsGbk, '--scenario', DEMO.scenario, '--out', join(d, 'run'), '--bootstrap', '4', '--quiet'],
    calibrate: ['calibrate', '--enrollment', DEMO.enrollment, '--claims', DEMO.claims, '--scenario', DEMO.scenario, '--out', join(d, 'cal/params.yaml')],
    tooMany: ['replay', '--enrollment', enrollment, '--claims', manyBad, '--out', join(d, 'tm')],
  };
  const running = Promise.all(Object.entries(spawned).map(async ([k, a]) => [k, await fundcast(a)] as const));
  const inproc: Record<string, string[]> = {
    help: ['--help'],
    replayHelp: ['replay', '--help'],
    calibrateHelp: ['calibrate', '--help'],
    missingFile: ['replay', '--enrollment', join(d, 'nope.csv'), '--claims', manyBad],
    missingColumn: ['replay', '--enrollment', enrollment, '--claims', noFund, '--out', join(d, 'mc')],
    badPeriod: ['replay', '--enrollment', enrollment, '--claims', manyBad, '--period', '25'],
    badRate: ['replay', '--enrollment', enrollment, '--claims', manyBad, '--max-reject-rate', 'lots'],
    allowed: ['replay', '--enrollment', enrollment, '--claims', manyBad, '--out', join(d, 'ok'), '--max-reject-rate', '0.1', '--quiet'],
    noArgs: ['replay'],
    calibrateNoOut: ['calibrate', '--enrollment', enrollment, '--claims', manyBad],
    unknownFlag: ['replay', '--enrollment', enrollment, '--claims', manyBad, '--bootstrapp', '3'],
    gbkOut: ['replay', '--enrollment', DEMO.enrollment, '--claims', DEMO.claims, '--scenario', DEMO.scenario, '--out', join(d, 'gbk'), '--csv-encoding', 'gbk', '--quiet'],
    badEncoding: ['replay', '--enrollment', enrollment, '--claims', manyBad, '--csv-encoding', 'latin1'],
  };
  o = {};
  for (const [k, a] of Object.entries(inproc)) o[k] = await inProcess(a);
  for (const [k, r] of await running) o[k] = r;
});

describe('fundcast replay / calibrate', () => {
  it('are listed in the command help; --help prints their usage and exits 0', () => {
    expect(o.help.stdout).toMatch(/replay\s+replay recorded claims/);
    expect(o.help.stdout).toMatch(/calibrate\s+fit synthesis parameters/);
    expect(o.replayHelp.code).toBe(0);
    expect(o.replayHelp.stdout).toMatch(/^fundcast replay --enrollment FILE --claims FILE/);
    expect(o.replayHelp.stdout).toMatch(/--max-reject-rate X/);
    expect(o.calibrateHelp.code).toBe(0);
    expect(o.calibrateHelp.stdout).toMatch(/^fundcast calibrate --enrollment FILE --claims FILE --out params\.yaml/);
  });

  it('replay of the GBK demonstration data exits 0, prints the total difference, writes the files of run plus reconciliation and rejects', () => {
    expect(o.replay.code, o.replay.stderr).toBe(0);
    expect(o.replay.stdout).toMatch(/total difference 0\.00 yuan \(0\.000%\)/);
    for (const f of ['summary.json', 'replications.csv', 'facilities.csv', 'scenario.json', 'run.json', 'reconciliation.csv', 'replay.json', 'rejects-claims.csv', 'rejects-enrollment.csv']) expect(existsSync(join(d, 'run', f)), f).toBe(true);
    const run = JSON.parse(readFileSync(join(d, 'run', 'run.json'), 'utf8'));
    expect(run.replications).toBe(4);
    const rep = JSON.parse(readFileSync(join(d, 'run', 'replay.json'), 'utf8'));
    expect(rep.inputs.claims.encoding).toBe('gb18030');
    expect(rep.reconciliation.difference).toBe(0);
    expect(rep.bootstrap.replicates).toBe(4);
    expect(readFileSync(join(d, 'run', 'replications.csv'), 'utf8').trim().split('\n')).toHaveLength(5);
  });

  it('--csv-encoding gbk: every CSV written is GBK, the same rows as UTF-8; run.json says so; a bad value is refused', () => {
    expect(o.gbkOut.code, o.gbkOut.stderr).toBe(0);
    for (const f of ['reconciliation.csv', 'facilities.csv']) {
      const utf8 = readFileSync(join(d, 'run', f), 'utf8');
      expect(iconv.decode(readFileSync(join(d, 'gbk', f)), 'gbk'), f).toBe(utf8);
    }
    const names = readFileSync(join(d, 'run', 'facilities.csv'), 'utf8');
    expect(/[\u4e00-\u9fff]/.test(names)).toBe(true); // a Chinese facility name: the two encodings differ
    expect(readFileSync(join(d, 'gbk', 'facilities.csv')).equals(Buffer.from(names, 'utf8'))).toBe(false);
    for (const f of ['rejects-claims.csv', 'rejects-enrollment.csv', 'replications.csv']) expect(existsSync(join(d, 'gbk', f)), f).toBe(true);
    expect(JSON.parse(readFileSync(join(d, 'gbk', 'run.json'), 'utf8')).csvEncoding).toBe('gbk');
    expect(o.badEncoding.code).toBe(2);
    expect(o.badEncoding.stderr).toContain('--csv-encoding: must be one of utf-8, gbk, got "latin1"');
  });

  it('calibrate exits 0 and writes a fragment that `fundcast validate` accepts', async () => {
    expect(o.calibrate.code, o.calibrate.stderr).toBe(0);
    expect(o.calibrate.stdout).toMatch(/Wrote .*params\.yaml/);
    // The report: each fitted number with its standard error and n; what is not fitted, kept from the template.
    expect(o.calibrate.stdout).toMatch(/utilization\.refillAdherence\s+0\.8\d* ± 0\.00\d+ \(n = 2,301\)/);
    expect(o.calibrate.stdout).toMatch(/Kept from the template \(\d+\):[\s\S]*no refill of a patient with hemophilia: utilization\.dailyDrugCost\.hemophilia/);
    expect(o.calibrate.stdout).toMatch(/not fitted by calibrate: .*benefits\.deductible/);
    const v = await inProcess(['validate', join(d, 'cal/params.yaml')]);
    expect(v.code, v.stderr).toBe(0);
  });

  it('bad input: exit 2 with the file, line and column and the rule, never a stack trace', () => {
    expectUserError(o.missingFile, /fundcast replay: error: cannot read .*nope\.csv: no such file/);
    expectUserError(o.missingColumn, /nofund\.csv: line 1 \(header\): no column for fund_paid \(e\.g\. 统筹基金支付 \/ fund_paid\)/);
    expectUserError(o.badPeriod, /--period: give a year or a range of years/);
    expectUserError(o.badRate, /--max-reject-rate: a share from 0 to 1/);
    expectUserError(o.noArgs, /give --enrollment FILE and --claims FILE/);
    expectUserError(o.calibrateNoOut, /give --enrollment FILE, --claims FILE and --out FILE/);
    expectUserError(o.unknownFlag, /unknown flag --bootstrapp \(did you mean --bootstrap\?\)/);
  });

  it('too many rejected rows: exit 2 naming the rate, the reasons and the first bad row, with the rejects file written first', () => {
    expectUserError(o.tooMany, /bad\.csv: 6\.25% of rows rejected \(2 of 32\), above --max-reject-rate 0\.01; reasons: bad_date: 1, person_not_enrolled: 1; first: row 31 \(line 32\), column date/);
    const rej = readFileSync(join(d, 'tm', 'rejects-claims.csv'), 'utf8').trim().split('\n');
    expect(rej).toHaveLength(3);
    expect(rej[1]).toMatch(/^31,32,bad_date,date,2025-02-30,/);
    expect(rej[2]).toMatch(/^32,33,person_not_enrolled,person_id,P404,.*not in the enrollment file/);
    expect(existsSync(join(d, 'tm', 'summary.json'))).toBe(false);
    // Allowed by a higher rate: the run completes.
    expect(o.allowed.code, o.allowed.stderr).toBe(0);
    expect(existsSync(join(d, 'ok', 'run.json'))).toBe(true);
  });

  it('a replayed year without fund outlay (infinite reserve months) replays, printing ∞ for its reserve months', async () => {
    const t = tmp();
    try {
      const e = write(t.dir, 'e.csv', csv([ENROLLMENT_HEADER, ...PERSONS]));
      const c = write(t.dir, 'c.csv', csv([CLAIMS_HEADER, claim('C1', 'P1', '2024-03-05', 'v1', 'village', 10, 0), claim('C2', 'P2', '2025-02-05', 't1', 'township', 50, 10)]));
      const r = await inProcess(['replay', '--enrollment', e, '--claims', c, '--out', join(t.dir, 'out')]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/\n2024 .* 0\.0 .* ∞ +0\.0% +0\.0%\n/); // the fund ledger's row: outlay 0, reserve months ∞
      const summary = JSON.parse(readFileSync(join(t.dir, 'out', 'summary.json'), 'utf8'));
      expect(summary.models[0].risk.byYear[0].reserveMonths.mean.value).toBeNull(); // ∞ is null in JSON
    } finally {
      t.done();
    }
  });
});
