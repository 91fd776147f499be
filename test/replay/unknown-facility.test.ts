// A facility whose tier nothing states (no register, no tier on its rows) is never guessed: its
// claims are rejected with reason unknown_facility (rows still conserved), or take the tier the user
// gives with --default-tier; a signed or designated facility that no claim or register places is
// named in a note instead of being dropped silently.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../engine/params/load.ts';
import { loadReplayData, runReplay } from '../../engine/replay/replay.ts';
import { inProcess } from '../helpers/cli.ts';
import { DEMO, tmp, write } from './helpers.ts';

const t = tmp();
afterAll(t.done);
const claimsText = gunzipSync(readFileSync(DEMO.claims)).toString('utf8');
const lines = claimsText.split('\n');
// The first claim moves to a facility code seen nowhere else, with its tier left empty.
const fields = lines[1].split(',');
fields[3] = 'QQQ-NEW';
fields[4] = '';
const claims = write(t.dir, 'claims.csv', [lines[0], fields.join(','), ...lines.slice(2)].join('\n'));
// The first person is signed at a facility code that appears in no claim.
const eLines = readFileSync(DEMO.enrollment, 'utf8').split('\n');
const eFields = eLines[1].split(',');
eFields[11] = 'ZZZ-UNKNOWN';
const enrollment = write(t.dir, 'enrollment.csv', [eLines[0], eFields.join(','), ...eLines.slice(2)].join('\n'));
const rows = lines.slice(1).filter((l) => l !== '').length;

describe('unknown facilities in a replay without a register', () => {
  it('a claim at a facility of unknown tier is rejected (unknown_facility), every row accounted for', async () => {
    const d = await loadReplayData({ enrollment, claims });
    expect(d.logs.claims.rejected).toBe(1);
    expect(d.logs.claims.rejects[0]).toMatchObject({ reason: 'unknown_facility', value: 'QQQ-NEW' });
    expect(d.logs.claims.rejects[0].detail).toContain('--default-tier');
    expect(d.claims.n + d.logs.claims.rejected).toBe(rows);
  });

  it('--default-tier gives it that tier: loaded, and the replay puts it in the region', async () => {
    const d = await loadReplayData({ enrollment, claims, defaultTier: 'township' });
    expect(d.logs.claims.rejected).toBe(0);
    expect(d.claims.n).toBe(rows);
    const res = runReplay(d, loadScenario(DEMO.scenario));
    const f = res.region.region.facilities.find((x) => x.id === 'QQQ-NEW');
    expect(f?.tier).toBe('township');
  });

  it('a signed facility no claim or register places is named in a note, not dropped silently', async () => {
    const d = await loadReplayData({ enrollment, claims, defaultTier: 'township' });
    const res = runReplay(d, loadScenario(DEMO.scenario));
    expect(res.notes.find((n) => n.includes('ZZZ-UNKNOWN'))).toMatch(/named in the enrollment .* appear in no claim/);
  });

  it('the CLI: an unknown --default-tier is a flag error', async () => {
    const bad = await inProcess(['replay', '--enrollment', enrollment, '--claims', claims, '--scenario', DEMO.scenario, '--default-tier', 'clinic', '--out', `${t.dir}/x`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--default-tier: a tier is one of village, township, hospital, city, pharmacy');
  }, 60_000);
});
