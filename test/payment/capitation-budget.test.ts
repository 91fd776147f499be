// The capitation budget as seeds/003 writes it (F3, docs/payment-models.md): each base year restated
// under the budget year's benefit rules on the same random streams (the claims are identical, only
// their adjudication differs), trended to the budget year's prices, averaged per head.
import { describe, expect, it } from 'vitest';
import { roundHalfUp } from '../../engine/money/fen.ts';
import { parseScenarioText } from '../../engine/params/load.ts';
import type { CapitationYearDetail } from '../../engine/payment/capitation/pay.ts';
import { paymentModel } from '../../engine/payment/registry.ts';
import { paymentInput } from '../../engine/run/settle-replication.ts';
import { compile, simulateBlocks, type Compiled } from '../../engine/run/simulate.ts';
import { Metric } from '../../engine/utilization/metrics.ts';
import { capitationYaml, ffsYaml } from '../helpers/payment.ts';
import { tinyScenarioText } from '../helpers/tiny.ts';

/** wuhu-default's rules (the deductible waiver for signed patients starts 2025-05) on a tiny county. */
function scenario(budget = '', extra = '') {
  const text = tinyScenarioText({ years: 2, extra: `paymentModels:\n${ffsYaml()}\n${capitationYaml({ historyYears: 2, raw: budget ? [budget] : [] })}\n${extra}` });
  return parseScenarioText(text, '<capitation-budget>').scenario;
}

function settle(c: Compiled, all: Float64Array, t: number): CapitationYearDetail {
  const mi = 1;
  return paymentModel(c.scenario.paymentModels[mi], c.scenario, c.region).payYear(paymentInput(c, all, mi, t)).detail as CapitationYearDetail;
}

describe('restated base years', () => {
  const c = compile(scenario());
  const all = simulateBlocks(c, 0, 0, c.region.blocks.length, undefined, 0, true);
  const nY = c.years.length;
  const nF = c.region.facilities.length;
  const nm = c.layout.nm;
  const t2025 = c.years.indexOf(2025);
  const t2026 = c.years.indexOf(2026);

  it('a base year is restated only where its rules differ from the budget year\'s', () => {
    const table = c.restated[1];
    // 2025's budget reads 2023 and 2024 (no waiver) under 2025's rules (waiver from May): restated.
    expect(table[t2025 * nY + c.years.indexOf(2023)]).toBeGreaterThan(0);
    expect(table[t2025 * nY + c.years.indexOf(2024)]).toBeGreaterThan(0);
    // 2026's reads 2024 and 2025; 2025 had no waiver in January–April: restated too.
    expect(table[t2026 * nY + c.years.indexOf(2025)]).toBeGreaterThan(0);
    // fee-for-service asks for nothing
    expect([...c.restated[0]].every((v) => v < 0)).toBe(true);
  });

  it('restated years have exactly the same claims (visits, costs, heads); only the fund share changes, and the waiver only raises it', () => {
    const v = c.restated[1][t2025 * nY + c.years.indexOf(2024)];
    const own = c.modelVariant[1];
    let raised = 0;
    for (const yb of [c.years.indexOf(2023), c.years.indexOf(2024)]) {
      for (let f = 0; f < nF; f++) {
        const at = (u: number, k: number) => all[u * c.aggSize + (yb * nF + f) * nm + k];
        for (const k of [Metric.visits, Metric.opCost, Metric.opEligible, Metric.drugCost, Metric.admissions, Metric.ipCost, Metric.patients, Metric.signed]) {
          if (at(v, k) !== at(own, k)) expect({ facility: f, year: c.years[yb], metric: k, own: at(own, k), restated: at(v, k) }).toBeUndefined();
        }
        expect(at(v, Metric.opFund)).toBeGreaterThanOrEqual(at(own, Metric.opFund));
        expect(at(v, Metric.ipFund)).toBe(at(own, Metric.ipFund)); // inpatient rules did not change
        raised += at(v, Metric.opFund) - at(own, Metric.opFund);
      }
    }
    expect(raised).toBeGreaterThan(0);
  });

  it('the per-capita amount: restated, trended by the price indices, averaged per head (F3)', () => {
    const d = settle(c, all, t2025);
    expect(d.communities.length).toBeGreaterThan(0);
    const spec = c.scenario.paymentModels[1];
    if (spec.type !== 'capitation') throw new Error('capitation expected');
    for (const cs of d.communities) {
      expect(cs.history.map((h) => h.year)).toEqual([2023, 2024]);
      for (const h of cs.history) {
        expect(h.restatedFen).toBeGreaterThanOrEqual(h.fundPaidFen);
        // wuhu-default: services trend 3%, drugs and admissions 0 — outpatient between, inpatient 1
        expect(h.inpatientTrend).toBe(1);
        expect(h.outpatientTrend).toBeGreaterThanOrEqual(1);
        expect(h.outpatientTrend).toBeLessThanOrEqual(1.03 ** (2025 - h.year) + 1e-12);
      }
      const mean = cs.history.reduce((a, h) => a + h.trendedFen / h.enrollees, 0) / cs.history.length;
      expect(cs.perCapitaFen).toBe(roundHalfUp(mean * cs.trendFactor));
    }
  });

  it('budget: { trend: none, benefitChange: none } gives the plain mean of the base years as paid', () => {
    const c2 = compile(scenario('    budget: { trend: none, benefitChange: none }'));
    expect([...c2.restated[1]].every((v) => v < 0)).toBe(true);
    const all2 = simulateBlocks(c2, 0, 0, c2.region.blocks.length, undefined, 0, true);
    const d = settle(c2, all2, c2.years.indexOf(2025));
    for (const cs of d.communities) {
      for (const h of cs.history) {
        expect(h.restatedFen).toBe(h.fundPaidFen);
        expect(h.trendedFen).toBe(h.fundPaidFen);
      }
      const mean = cs.history.reduce((a, h) => a + h.fundPaidFen / h.enrollees, 0) / cs.history.length;
      expect(cs.perCapitaFen).toBe(roundHalfUp(mean));
    }
  });

  it('without a rule change after the base years, nothing is restated', () => {
    const noWaiver = 'benefits:\n  signingWaivesDeductible: { unit: flag, source: "test", value: false }';
    const c3 = compile(scenario('', noWaiver));
    expect([...c3.restated[1]].every((v) => v < 0)).toBe(true);
  });
});
