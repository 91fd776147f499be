// `fundcast run --precision` end to end (in this process): summary.json carries the achieved
// half-widths per metric and whether the target was met, and the screen says so.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SummarySchema } from '../../engine/run/summary-schema.ts';
import { inProcess } from '../helpers/cli.ts';
import { tinyScenarioText } from '../helpers/tiny.ts';

const tmp = mkdtempSync(join(tmpdir(), 'fundcast-precision-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('fundcast run --precision', () => {
  const file = join(tmp, 'tiny.yaml');
  writeFileSync(file, tinyScenarioText({ replications: 2, years: 2 }));

  it('a target not met at --max-replications: exit 0, a warning, "NOT met" and the half-widths in summary.json', async () => {
    const out = join(tmp, 'not-met');
    const r = await inProcess(['run', file, '--precision', '0.0001%,ruin=0.1pp', '--max-replications', '5', '--workers', '1', '--out', out]);
    expect(r.stderr).toMatch(/warning: precision target not met at the cap of 5 replications/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Precision \(outlay ±0\.0001%, difference ±0\.0001%, P\(ruin\) ±0\.1pp, 95%\): NOT met after 5 replications \(checked at 2, 5; cap 5\)/);
    expect(r.stdout).toMatch(/not met {2}mean horizon outlay, ffs: .* 万元 ± .* 万元 = ±[0-9.]+% \(target ±0\.0001%\)/);
    const s = SummarySchema.parse(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')));
    expect(s.replications).toBe(5);
    expect(s.precision).toMatchObject({ met: false, replications: 5, maxReplications: 5, target: { outlay: 0.000001, difference: 0.000001, ruin: 0.001 } });
    expect(s.precision!.metrics.map((m) => `${m.metric}:${m.model}`)).toEqual(['outlay:ffs', 'ruin:ffs']);
    expect(s.precision!.metrics[0].halfWidth).toBeGreaterThan(0);
  });

  it('an easy target: met on the initial replications', async () => {
    const out = join(tmp, 'met');
    const r = await inProcess(['run', file, '--precision', '50%', '--workers', '1', '--quiet', '--out', out]);
    expect(r.code).toBe(0);
    const s = SummarySchema.parse(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')));
    expect(s.precision).toMatchObject({ met: true, replications: 2, checkedAt: [2] });
    expect(s.precision!.metrics.every((m) => m.met && m.achieved! <= 0.5)).toBe(true);
  });
});
