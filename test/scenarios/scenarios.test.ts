/**
 * Every scenario shipped in scenarios/ validates, runs at low replications, and shows the key rule of
 * the policy document it models (issue: the five policy documents as runnable, cited scenarios).
 */
import { describe, expect, it } from 'vitest';
import { applyOverrides, compile, embeddedScenarios, listDated, loadScenario, runScenario, simulateBlocks, type RunResult } from '../../engine/index.ts';
import { capitation } from '../../engine/payment/capitation/pay.ts';
import type { CapitationSpec } from '../../engine/params/schema.ts';
import { synthesizeBlock } from '../../engine/population/synthesize.ts';
import { Metric } from '../../engine/utilization/metrics.ts';

const SEEDS = ['beijing-long-prescription', 'quanzhou-two-diseases', 'fushun-two-diseases', 'wuhu-chronic-management', 'wen-county-drug-supply'];

async function run(name: string, years?: number): Promise<RunResult> {
  return runScenario(loadScenario(name), { replications: 1, years, workers: 1 });
}

const yearOf = (r: RunResult, model: string, year: number) => r.summary.models.find((m) => m.name === model)!.years.find((y) => y.year === year)!;

describe('scenarios/', () => {
  it('ships the five seed scenarios, and every scenario validates with a source for every parameter', () => {
    const names = embeddedScenarios();
    for (const s of SEEDS) expect(names).toContain(s);
    for (const n of names) {
      const l = loadScenario(n);
      for (const { path, param } of listDated(l.scenario)) expect(param.source.length, path.join('.')).toBeGreaterThan(3);
    }
  });

  it('every scenario runs (1 replication) and produces fund outlay for every model and year', async () => {
    for (const n of embeddedScenarios()) {
      const r = await run(n, n === 'fushun-two-diseases' ? 3 : 2);
      for (const m of r.summary.models) for (const y of m.years) expect(y.fundOutlay.mean, `${n} ${m.name} ${y.year}`).toBeGreaterThan(0);
    }
  }, 180_000);
});

describe('key rules of the seed documents', () => {
  it('Beijing (seeds/000): community out-of-pocket falls when the 10% pre-payment is removed; long prescriptions cut visits; indicators exclude long-prescription drugs', async () => {
    const l = loadScenario('beijing-long-prescription');
    const with10 = structuredClone(l.scenario);
    with10.benefits.individualPrepayment = { unit: 'share', source: 'counterfactual: pre-payment kept', value: { village: 0.1, township: 0.1, hospital: 0.1 } };
    const actual = await runScenario(l, { replications: 1, workers: 1 });
    const counter = await runScenario({ ...l, scenario: with10 }, { replications: 1, workers: 1 });
    const community = (r: RunResult, y: number) => (['village', 'township'] as const).reduce((a, t) => a + yearOf(r, 'ffs', y).byTier[t].patientOutOfPocket.mean, 0);
    expect(community(actual, 2024)).toBeLessThan(community(counter, 2024));
    expect(community(actual, 2023)).toBe(community(counter, 2023)); // same rules before March 2024
    // 8-week community prescriptions from 2024: fewer visits than in 2023
    expect(yearOf(actual, 'ffs', 2024).visits.mean).toBeLessThan(0.85 * yearOf(actual, 'ffs', 2023).visits.mean);
    const t24 = yearOf(actual, 'ffs', 2024).byTier.township;
    const t23 = yearOf(actual, 'ffs', 2023).byTier.township;
    expect(t24.costPerVisitExcludingLongRx.mean).toBeLessThan(t24.costPerVisit.mean);
    expect(t23.costPerVisitExcludingLongRx.mean).toBe(t23.costPerVisit.mean); // 28-day refills are not long
  }, 60_000);

  it('Quanzhou (seeds/001): seven conditions; every 两病 patient signed; VBP lowers drug cost', async () => {
    const l = loadScenario('quanzhou-two-diseases');
    expect(Object.keys(l.scenario.population.prevalence)).toEqual(['hypertension', 'diabetes', 'stroke', 'chd', 'copd', 'nephritis', 'hepatitisB']);
    const c = compile(l.scenario);
    const pop = synthesizeBlock(c, 0, 0);
    let twoDiseases = 0;
    let others = 0;
    let othersSigned = 0;
    for (let p = 0; p < pop.n; p++) {
      if (pop.conditions[p] & 3) {
        twoDiseases++;
        expect(pop.signed[p]).toBe(1);
      } else {
        others++;
        othersSigned += pop.signed[p];
      }
    }
    expect(twoDiseases).toBeGreaterThan(100);
    expect(others).toBeGreaterThan(50);
    expect(othersSigned / others).toBeGreaterThan(0.8);
    expect(othersSigned / others).toBeLessThan(0.97);
    // VBP: the same patients and draws without VBP cost more in drugs
    const noVbp = structuredClone(l.scenario);
    delete noVbp.utilization.vbp;
    const drug = (s: typeof l.scenario) => {
      const cc = compile(s);
      const agg = simulateBlocks(cc, 0, 0, 1);
      let d = 0;
      for (let f = 0; f < cc.region.facilities.length; f++) d += agg[f * cc.layout.nm + Metric.drugCost];
      return d;
    };
    expect(drug(l.scenario)).toBeLessThan(0.8 * drug(noVbp));
  }, 60_000);

  it("Fushun (seeds/002): fee-for-service to 2020; 2021's per-capita amount equals 2020's fund payment per patient; level-3 city hospitals unpaid", () => {
    const l = loadScenario('fushun-two-diseases');
    const s = applyOverrides(l.scenario, { years: 3 });
    const c = compile(s);
    const agg = simulateBlocks(c, 0, 0, c.region.blocks.length).subarray(0, c.aggSize);
    const spec = s.paymentModels.find((m) => m.type === 'capitation') as CapitationSpec;
    const model = capitation(spec, c.region);
    const pay = (year: number) => model.payYear({ region: c.region, agg, layout: c.layout, yearIndex: c.years.indexOf(year), year, years: c.years, horizonStart: c.horizonStart, priceIndex: c.kp.priceIndex });
    expect(pay(2020).detail).toBeUndefined(); // still fee-for-service
    const d = pay(2021).detail!;
        expect(d.communities.length).toBe(c.region.communities.length);
    for (const cs of d.communities) {
      expect(cs.history.map((h) => h.year)).toEqual([2020]);
      expect(cs.perCapitaFen).toBe(Math.round(cs.history[0].fundPaidFen / cs.history[0].enrollees));
    }
    const nF = c.region.facilities.length;
    for (const h of c.region.cityHospitals) {
      const k = (c.years.indexOf(2021) * nF + h) * c.layout.nm;
      expect(agg[k + Metric.visits]).toBeGreaterThan(0);
      expect(agg[k + Metric.opFund]).toBe(0);
    }
  }, 60_000);

  it('Wuhu (seeds/003): capitation keeps 40/30/30 and shares overspend 50/50; off-site care is reimbursed less; hemophilia is simulated', async () => {
    const r = await runScenario(loadScenario('wuhu-chronic-management'), { replications: 1, years: 2, workers: 1 });
    const cap = r.replications[0].models.find((m) => m.type === 'capitation')!;
    for (const y of cap.years) {
      const f = y.settlement;
      if (f.retainedFen > 0) {
        expect(f.villageRetainedFen).toBeGreaterThanOrEqual(Math.floor(0.4 * f.retainedFen));
        expect(f.townshipRetainedFen).toBeGreaterThanOrEqual(Math.floor(0.3 * f.retainedFen));
      }
      expect(f.leadOverspendFen + f.fundOverspendFen).toBe(f.overspendFen);
      expect(Math.abs(f.leadOverspendFen - f.fundOverspendFen)).toBeLessThanOrEqual(f.communitiesInOverspend);
    }
    const ffs = r.replications[0].models[0].years[0].byTier;
    // fund share of cost: off-site (ratio − 5…20 pp) below on-site hospital care
    expect(ffs.offSite.fundFen / ffs.offSite.costFen).toBeLessThan(ffs.hospital.fundFen / ffs.hospital.costFen);
    expect(Object.keys(r.scenario.population.prevalence)).toContain('hemophilia');
  }, 120_000);

  it("Wen county (seeds/004): the dual-channel pharmacy is paid like a designated facility; off-site purchases fall once shortages are addressed", async () => {
    const r = await runScenario(loadScenario('wen-county-drug-supply'), { replications: 1, workers: 1 });
    const ph = r.facilities.findIndex((f) => f.id === 'wenxian-pharmacy');
    expect(ph).toBeGreaterThanOrEqual(0);
    const ffs = r.replications[0].models[0].years;
    expect(ffs[0].fundToFacilityFen[ph]).toBeGreaterThan(0);
    expect(ffs[2].fundToFacilityFen[ph]).toBeGreaterThan(2 * ffs[0].fundToFacilityFen[ph]); // 5% → 25% of hospital-tier refills
    expect(ffs[2].byTier.offSite.costFen).toBeLessThan(0.8 * ffs[0].byTier.offSite.costFen); // shortage 5% → 1%
  }, 60_000);
});
