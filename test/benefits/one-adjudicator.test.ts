// One adjudicator: a claim gets one answer whichever path reads it (docs/model.md, "Benefit, F4").
//
// 1. The worked examples of F4 through every path: adjudicateClaim, the claim rules on a month
//    table row (what the kernel and replay call), replay of a recorded claim, and the kernel itself
//    (its trace of a simulated claim), under each signing-waiver scope.
// 2. A differential property (fast-check): random benefit rules; the kernel simulates a small region
//    and writes its claims (replay/synthetic.ts); replay re-adjudicates them under the same rules; the
//    fund, patient and facility amounts agree to the fen, per facility and month.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { adjudicateClaim, newBenefitYear } from '../../engine/benefits/adjudicate.ts';
import { outpatientRatio, waiverApplies } from '../../engine/benefits/claim-rules.ts';
import { compile, simulateBlocks } from '../../engine/index.ts';
import { parseScenarioText } from '../../engine/params/load.ts';
import { newMonthTable, OFF_SITE_REDUCTION, RATIO, WAIVER, WAIVER_SCOPE } from '../../engine/params/month-table.ts';
import { WAIVER_SCOPES } from '../../engine/params/schema.ts';
import { loadReplayData, runReplay } from '../../engine/replay/replay.ts';
import { syntheticData } from '../../engine/replay/synthetic.ts';
import { Metric } from '../../engine/utilization/metrics.ts';
import { tinyScenarioText } from '../helpers/tiny.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'fundcast-adj-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A month-table row with ratio 55% at every tier, the waiver on with `scope`, and off-site reductions. */
function row(scope: number, waiver = 1) {
  const t = newMonthTable(1, 1);
  for (let tier = 0; tier < 3; tier++) t.rows[RATIO + tier] = 0.55;
  t.rows[WAIVER] = waiver;
  t.rows[WAIVER_SCOPE] = scope;
  [0.05, 0.15, 0.1, 0.2].forEach((r, i) => (t.rows[OFF_SITE_REDUCTION + i] = r));
  return t.rows;
}

describe('F4 worked examples (docs/model.md) through the claim rules and adjudicateClaim', () => {
  // cost 800, deductible 200, ratio 55% at the treating facility's tier.
  const claim = (R: Float64Array, o: { signed: boolean; tier: number; atSigned: boolean; off: number }) => {
    const waived = waiverApplies(R, 0, o.signed, o.tier, o.atSigned, o.off < 0);
    const red = o.off >= 0 ? R[OFF_SITE_REDUCTION + o.off] : 0;
    const st = newBenefitYear(20_000, 300_000);
    return adjudicateClaim({ costFen: 80_000, eligibleFen: 80_000, ratio: outpatientRatio(R, 0, o.tier, false, 0), offSiteReduction: red, waived }, st).fundFen;
  };
  it.each(WAIVER_SCOPES.map((s, i) => [s, i] as const))('scope %s', (scope, code) => {
    const R = row(code);
    // not signed: (800 − 200) × 55% = 330
    expect(claim(R, { signed: false, tier: 0, atSigned: false, off: -1 })).toBe(33_000);
    // signed, at the signed facility: 800 × 55% = 440 under every scope
    expect(claim(R, { signed: true, tier: 0, atSigned: true, off: -1 })).toBe(44_000);
    // signed, at another primary facility: waived unless the scope is the signed facility
    expect(claim(R, { signed: true, tier: 1, atSigned: false, off: -1 })).toBe(scope === 'signedFacility' ? 33_000 : 44_000);
    // signed, at a hospital on site: waived only anywhere
    expect(claim(R, { signed: true, tier: 2, atSigned: false, off: -1 })).toBe(scope === 'anywhere' ? 44_000 : 33_000);
    // signed, off-site cross-province referred (−10 pp): (800 − 200) × 45% = 270, or 800 × 45% = 360 anywhere
    expect(claim(R, { signed: true, tier: 2, atSigned: false, off: 2 })).toBe(scope === 'anywhere' ? 36_000 : 27_000);
  });
  it('no waiver before it is in force', () => {
    expect(claim(row(2, 0), { signed: true, tier: 0, atSigned: true, off: -1 })).toBe(33_000);
  });
});

/** Benefit rules as scenario YAML (all dated from 2019 so the history years have them). */
interface Rules {
  deductible: number;
  cap: number;
  ratio: [number, number, number];
  prepayment: [number, number, number];
  eligibleShare: number;
  offSite: [number, number, number, number];
  above: number;
  waiver: boolean;
  scope: (typeof WAIVER_SCOPES)[number];
  cityRatio: number;
}
const d = (unit: string, v: unknown) => `{ unit: ${unit}, source: "test", value: ${JSON.stringify(v)} }`;
function rulesYaml(r: Rules): string {
  const tiers = (xs: number[]) => ({ village: xs[0], township: xs[1], hospital: xs[2] });
  return `benefits:
  deductible: ${d('yuan/year', r.deductible)}
  annualCap: ${d('yuan/year', r.cap)}
  ratio: ${d('share', tiers(r.ratio))}
  individualPrepayment: ${d('share', tiers(r.prepayment))}
  offSiteReduction: ${d('share', { inProvinceReferred: r.offSite[0], inProvinceUnreferred: r.offSite[1], crossProvinceReferred: r.offSite[2], crossProvinceUnreferred: r.offSite[3] })}
  signingWaivesDeductible: ${d('flag', r.waiver)}
  signingWaiver: { scope: ${d('scope', r.scope)} }
  drugAboveStandardShare: ${d('share', r.above)}
  cityHospitalRatio: ${d('share', r.cityRatio)}
utilization:
  eligibleShare: ${d('share', r.eligibleShare)}
`;
}

const share = (lo: number, hi: number) => fc.integer({ min: Math.round(lo * 100), max: Math.round(hi * 100) }).map((x) => x / 100);
const rules: fc.Arbitrary<Rules> = fc.record({
  deductible: fc.integer({ min: 0, max: 600 }),
  cap: fc.integer({ min: 200, max: 6000 }),
  ratio: fc.tuple(share(0.3, 0.95), share(0.3, 0.95), share(0.3, 0.95)),
  prepayment: fc.tuple(share(0, 0.2), share(0, 0.2), share(0, 0.2)),
  eligibleShare: share(0.6, 1),
  offSite: fc.tuple(share(0, 0.3), share(0, 0.3), share(0, 0.3), share(0, 0.3)),
  above: share(0, 0.3),
  waiver: fc.boolean(),
  scope: fc.constantFrom(...WAIVER_SCOPES),
  cityRatio: share(0.2, 0.9),
});

describe('the kernel and replay adjudicate identically (differential)', () => {
  it('random rules: replayed fund = the kernel\'s, per facility and month; facility aggregates equal to the fen', async () => {
    await fc.assert(
      fc.asyncProperty(rules, fc.integer({ min: 1, max: 1_000_000 }), async (r, seed) => {
        const loaded = parseScenarioText(tinyScenarioText({ residents: 12_000, residentsPerTownship: 6000, years: 1, seed, extra: rulesYaml(r) }), '<adjudicator>');
        const c = compile(loaded.scenario);
        const data = syntheticData(c);
        // Replay computes the eligible cost from cost and drug cost, as the kernel does (a recorded
        // eligible cost is the data's, before pre-payment; the synthetic one is the kernel's after it).
        const lines = data.claims.split('\n');
        const col = lines[0].split(',').indexOf('eligible_cost');
        const claims = lines.map((l, i) => (i === 0 || l === '' ? l : l.split(',').map((x, j) => (j === col ? '' : x)).join(','))).join('\n');
        const dir = tmp();
        writeFileSync(join(dir, 'enrollment.csv'), data.enrollment);
        writeFileSync(join(dir, 'claims.csv'), claims);
        const rd = await loadReplayData({ enrollment: join(dir, 'enrollment.csv'), claims: join(dir, 'claims.csv'), conditions: Object.keys(loaded.scenario.population.prevalence) });
        expect(rd.logs.claims.rejected).toBe(0);
        const res = runReplay(rd, loaded);
        // Per facility and month: the fund's share re-adjudicated by replay = the kernel's.
        for (const row of res.reconciliation) expect(row.replayedFen, `${row.facility} ${row.month}`).toBe(row.recordedFen);
        expect(res.totals.differenceFen).toBe(0);
        // Per facility: visits, cost, eligible cost, fund share (so patients' share = cost − fund too).
        const sim = simulateBlocks(c, 0, 0, c.region.blocks.length);
        const nF = c.region.facilities.length;
        const rf = res.region.region.facilities;
        for (const [fi, f] of c.region.facilities.entries()) {
          const j = rf.findIndex((x) => x.id === f.id);
          for (const k of [Metric.visits, Metric.opCost, Metric.opEligible, Metric.opFund, Metric.admissions, Metric.ipCost, Metric.ipFund, Metric.capReached, Metric.homeOpFund]) {
            const want = sim[fi * c.layout.nm + k];
            const got = j < 0 ? 0 : res.observedAgg[j * c.layout.nm + k];
            if (got !== want) expect({ facility: f.id, metric: k, kernel: want, replay: got }).toBeUndefined();
          }
        }
        expect(nF).toBeGreaterThan(0);
      }),
      { numRuns: 12, seed: 20251202, endOnFailure: true },
    );
  }, 300_000);
});
