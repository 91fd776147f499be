// The pipeline simulates a block's history years only where a payment model reads them
// (engine/run/simulate.ts `paymentFirstYear`), and a capitation variant outside its pilot takes the
// base's result: the results must be those of simulating every year of every variant.
import { describe, expect, it } from 'vitest';
import { paymentModel } from '../../engine/payment/index.ts';
import { settleReplication } from '../../engine/run/settle-replication.ts';
import { compile, simulateBlocks } from '../../engine/run/simulate.ts';
import { Metric } from '../../engine/utilization/metrics.ts';
import { capitationYaml, ffsYaml, pointsYaml, scenario } from '../helpers/payment.ts';

// Two counties of two blocks each; capitation pilots county `a` only.
const counties = [
  { id: 'a', residents: 20_000 },
  { id: 'b', residents: 20_000 },
];
const cases: [string, string[]][] = [
  ['capitation (rolling) + points (history)', [ffsYaml(), capitationYaml({ pilotCounties: ['a'], historyYears: 3 }), pointsYaml()]],
  ['capitation (fixed, behaviour) + points (fixed)', [ffsYaml({ volumeResponse: 0.05 }), capitationYaml({ pilotCounties: ['a'], historyYears: 2, rebase: 'fixed', behaviour: { underService: 0.1, referralOut: 0.1 } }), pointsYaml({ basis: 'fixed', amount: 5_000_000 })]],
  ['capitation only', [ffsYaml(), capitationYaml({ pilotCounties: ['a'], historyYears: 2 })]],
];

describe('history years are simulated only where a payment model reads them', () => {
  for (const [name, models] of cases) {
    it(name, () => {
      const c = compile(scenario(models, { counties, years: 2 }).scenario);
      expect(c.horizonStart).toBeGreaterThan(0);
      const nB = c.region.blocks.length;
      // A trace turns off the reuse of the base's result: every variant simulated on its own.
      const plain = simulateBlocks(c, 0, 0, nB, () => {});
      const full = simulateBlocks(c, 0, 0, nB);
      expect(Array.from(full)).toEqual(Array.from(plain));
      const reduced = simulateBlocks(c, 0, 0, nB, undefined, 0, true);
      // Some block skips some history (county b is outside the pilot); pilot blocks skip none.
      const firstOf = (b: number) => Math.min(...c.variants.map((_, v) => c.paymentFirstYear[v * nB + b]));
      c.region.blocks.forEach((b, i) => expect(firstOf(i) === 0).toBe(c.region.counties[b.county].id === 'a'));
      // The first history year really is skipped outside the pilot.
      const heads = (all: Float64Array) => c.variants.reduce((a, _, v) => a + c.region.facilities.reduce((h, _, f) => h + all[v * c.aggSize + f * c.layout.nm + Metric.patients], 0), 0);
      expect(heads(reduced)).toBeGreaterThan(0);
      expect(heads(reduced)).toBeLessThan(heads(full));
      // Horizon years: identical aggregates, every variant; a restatement (utilization/restate.ts):
      // identical over the years it is simulated for, which are all a model reads of it.
      const nF = c.region.facilities.length;
      const yearSize = nF * c.layout.nm;
      for (let v = 0; v < c.variants.length; v++) {
        const r = c.variants[v].restatement;
        if (!r) {
          const a = v * c.aggSize + c.horizonStart * yearSize;
          expect(Array.from(reduced.subarray(a, (v + 1) * c.aggSize)), `variant ${c.variants[v].key}`).toEqual(Array.from(full.subarray(a, (v + 1) * c.aggSize)));
          continue;
        }
        // What the capitation budget reads of a restatement: its pilot villages' patients and their
        // fund payments over the restated years (the other blocks are not simulated for it).
        c.region.blocks.forEach((blk, bi) => {
          if (c.paymentFirstYear[v * nB + bi] >= c.years.length) return;
          for (const yb of r.years) {
            for (const f of blk.villages) {
              for (const k of [Metric.patients, Metric.homeOpFund, Metric.homeIpFund]) {
                const i = v * c.aggSize + (yb * nF + f) * c.layout.nm + k;
                expect(reduced[i], `variant ${c.variants[v].key} facility ${f} year ${c.years[yb]}`).toBe(full[i]);
              }
            }
          }
        });
      }
      // Every model's results: identical.
      const pm = c.scenario.paymentModels.map((m) => paymentModel(m, c.scenario, c.region));
      expect(settleReplication(c, pm, 0, reduced)).toEqual(settleReplication(c, pm, 0, full));
    });
  }
});
