/**
 * `fundcast run`'s default output (issue 21): one screen — at most 40 lines for three payment models
 * over eight years — that starts with when the fund runs out, shows the fund ledger with units and the
 * models compared with paired differences, merges the "not reliable" notes into one line, warns about
 * too few replications, and points to docs/ only; `--detail` adds the full tables.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureScenarioText, removeDir } from '../report/fixture.ts';
import { inProcess, type CliOut } from '../helpers/cli.ts';

let dir: string;
let out: CliOut;
let detail: CliOut;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fundcast-headline-'));
  // the report fixture's three models, eight years, and an opening balance that runs out mid-horizon
  const text = fixtureScenarioText().replace('years: 3', 'years: 8') + 'financing:\n  openingBalance: { unit: months, source: "assumption: test", value: 12 }\n';
  writeFileSync(join(dir, 's.yaml'), text);
  out = await inProcess(['run', join(dir, 's.yaml'), '--workers', '1', '--out', join(dir, 'out')]);
  detail = await inProcess(['run', join(dir, 's.yaml'), '--workers', '1', '--out', join(dir, 'out2'), '--detail']);
}, 300_000);
afterAll(() => removeDir(dir));

const body = (o: CliOut) => o.stdout.trim().split('\n');

describe('fundcast run: the one-screen summary', () => {
  it('at most 40 lines for three models over eight years, the run-out answer first', () => {
    expect(out.code, out.stderr).toBe(0);
    const lines = body(out);
    expect(lines.length).toBeLessThanOrEqual(40);
    const q = lines.findIndex((l) => l.startsWith('Will the fund run out?'));
    expect(q).toBeGreaterThan(0);
    expect(q).toBeLessThan(5);
    for (const name of ['ffs', 'cap', 'pts']) expect(lines[lines.findIndex((l) => l.trim().startsWith(`${name}: `))]).toMatch(/runs out in \d{4}|does not run out within/);
  });

  it('the ledger has income, budget, outlay and balance with units; reserve months below zero are "exhausted"', () => {
    const s = out.stdout;
    expect(s).toMatch(/Fund ledger, ffs \(万元 = 10,000 yuan/);
    expect(s).toMatch(/year +income +budget +outlay +outlay P5–P95 +closing balance +reserve months +P\(outlay > budget\) +P\(balance < 0\)/);
    expect(s).not.toMatch(/ -\d+\.\d\s+\d+\.\d%/); // no negative reserve months
    expect(s).toMatch(/Payment models compared, 2025–2032 totals/);
    expect(s).toMatch(/cap \(capitation\) .*\[-?[\d,.]+, -?[\d,.]+\]/); // paired difference with its 95% CI
  });

  it('notes: one "not reliable" line, the few-replications warning, the Wilson bracket; docs/ only, no F5/F6', () => {
    const s = out.stdout;
    expect(s.match(/not reliable/g)?.length).toBe(1);
    expect(s).toMatch(/only 4 replications: P5 and P95/);
    expect(s).toMatch(/Brackets are Wilson 95% intervals/);
    expect(s).toContain('docs/glossary.md');
    expect(s).not.toMatch(/F5|F6|DESIGN\.md|shared\//);
  });

  it('summary.json carries the same answer (risk.runOut)', () => {
    const sum = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    for (const m of sum.models) {
      const r = m.risk.runOut;
      const line = body(out).find((l) => l.trim().startsWith(`${m.name}: `))!;
      expect(line).toContain(r.firstYear === null ? 'does not run out' : `runs out in ${r.firstYear}`);
    }
  });

  it('--detail adds the full tables after the same summary', () => {
    expect(detail.code, detail.stderr).toBe(0);
    expect(detail.stdout.slice(0, 400)).toBe(out.stdout.slice(0, 400));
    expect(body(detail).length).toBeGreaterThan(body(out).length + 40);
    expect(detail.stdout).toMatch(/Paired differences against ffs \(same patients and draws; mean \[95% CI\]/);
    expect(detail.stdout).toMatch(/Capitation settlement/);
    expect(detail.stdout.match(/not reliable/g)?.length).toBe(2); // the summary's note and the detail's footnote
  });
});
