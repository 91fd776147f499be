// The pipeline simulates a block's history years only where a payment model reads them
// (engine/simulate.ts `paymentFirstYear`): the results must be those of simulating every year.
import { describe, expect, it } from 'vitest';
import { paymentModel } from '../../engine/payment/index.ts';
import { settleReplication } from '../../engine/settle-replication.ts';
import { compile, simulateBlocks } from '../../engine/simulate.ts';
import { Metric, NM } from '../../engine/utilization/metrics.ts';
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
      const full = simulateBlocks(c, 0, 0, nB);
      const reduced = simulateBlocks(c, 0, 0, nB, undefined, 0, true);
      // Some block skips some history (county b is outside the pilot); pilot blocks skip none.
      expect(Math.max(...c.paymentFirstYear)).toBeGreaterThan(0);
      c.region.blocks.forEach((b, i) => expect(c.paymentFirstYear[i] === 0).toBe(c.region.counties[b.county].id === 'a'));
      // The first history year really is skipped outside the pilot.
      const heads = (agg: Float64Array) => c.region.facilities.reduce((a, _, f) => a + agg[f * NM + Metric.patients], 0);
      expect(heads(reduced)).toBeGreaterThan(0);
      expect(heads(reduced)).toBeLessThan(heads(full));
      // Horizon years: identical aggregates, every variant.
      const nF = c.region.facilities.length;
      for (let v = 0; v < c.variants.length; v++) {
        const from = v * c.aggSize + c.horizonStart * nF * NM;
        expect(Array.from(reduced.subarray(from, (v + 1) * c.aggSize))).toEqual(Array.from(full.subarray(from, (v + 1) * c.aggSize)));
      }
      // Every model's results: identical.
      const pm = c.scenario.paymentModels.map((m) => paymentModel(m, c.region));
      expect(settleReplication(c, pm, 0, reduced)).toEqual(settleReplication(c, pm, 0, full));
    });
  }
});
