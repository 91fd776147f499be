// Point-based payment under a regional global budget (F1) in the pipeline: the budget is shared
// exactly, the point value is budget ÷ weighted points, point inflation by some providers lowers
// everyone's point value, and pre-settlement + year-end clearing add up. Tiny region (one county of
// 40,000), 2 replications, 2 years + 1 history year. Pure point-value functions: test/settlement/.
import { beforeAll, describe, expect, it } from 'vitest';
import { applyRate, yuanToFen } from '../../engine/money/fen.ts';
import type { LoadedScenario } from '../../engine/params/load.ts';
import { compileFormula } from '../../engine/params/formula.ts';
import { CAPABILITY_VARIABLES } from '../../engine/payment/points/spec.ts';
import type { PointsSpec } from '../../engine/params/schema.ts';
import { facilityPoints, type PaymentResult, type PointsYearDetail } from '../../engine/payment/index.ts';
import { runScenario, type RunResult } from '../../engine/run/run-scenario.ts';
import { Metric } from '../../engine/utilization/metrics.ts';
import { ffsYaml, internals, pointsYaml, scenario, sum, type Internals, type PointsOptions } from '../helpers/payment.ts';

const FIXED_BUDGET_YUAN = 2_000_000;
const MODELS: Record<string, PointsOptions> = {
  pts: {},
  'pts-op': { covers: 'outpatient' },
  'pts-fixed': { basis: 'fixed', amount: FIXED_BUDGET_YUAN },
  'pts-infl-v': { pointInflation: { village: 0.2, township: 0, hospital: 0 } },
  'pts-infl-all': { pointInflation: { village: 0.1, township: 0.1, hospital: 0.1 } },
  'pts-coef': { facilityCoefficient: { village: 1, township: 1.1, hospital: 0.9 }, withholdShare: 0.2, capabilityCoefficient: 'max(0.5, min(1.5, 0.8 + 0.1 * tier + 0.3 * signedShare))' },
};
const NAMES = Object.keys(MODELS);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe('points in the pipeline (one county of 40,000, 2 replications, 2 years)', () => {
  let loaded: LoadedScenario;
  let run: RunResult;
  let reps: Internals[];
  beforeAll(async () => {
    loaded = scenario([ffsYaml(), ...NAMES.map((name) => pointsYaml({ name, ...MODELS[name] }))], { replications: 2, years: 2 });
    run = await runScenario(loaded, { workers: 1 });
    reps = [internals(loaded, 0), internals(loaded, 1)];
  });

  const each = (name: string, f: (x: { I: Internals; hi: number; yi: number; res: PaymentResult; d: PointsYearDetail; rep: number }) => void) => {
    reps.forEach((I, rep) =>
      [0, 1].forEach((hi) => {
        const res = I.pay(name, hi);
        expect((res.detail as PointsYearDetail | undefined)?.kind).toBe('points');
        f({ I, hi, yi: I.c.horizonStart + hi, res, d: res.detail as PointsYearDetail, rep });
      }),
    );
  };
  const metric = (I: Internals, yi: number, f: number, k: number) => I.all[(yi * I.c.region.facilities.length + f) * I.c.layout.nm + k];

  it('points behaviour makes no utilization variant; a history budget needs one history year', () => {
    const I = reps[0];
    expect(I.c.variants.length).toBe(1);
    expect(I.c.years).toEqual([2024, 2025, 2026]);
  });

  it('the internals reproduce the pipeline', () => {
    NAMES.forEach((name, k) =>
      each(name, ({ res, rep, hi }) => {
        const y = run.replications[rep].models[k + 1].years[hi];
        expect(y.fundToFacilityFen).toEqual(res.fundToFacilityFen);
        expect(y.fundOutlayFen).toBe(res.fundOutlayFen);
        expect(y.settlement.pointValueFinal).toBe((res.detail as PointsYearDetail).pointValueFinal);
      }),
    );
  });

  it('every model, replication and year: Σ finalFen = budgetFen exactly; fund outlay = budget + off-site fund (+ inpatient fund when covers: outpatient)', () => {
    for (const name of NAMES) {
      each(name, ({ I, yi, res, d }) => {
        const { region } = I.c;
        const nF = region.facilities.length;
        expect(sum(d.finalFen), name).toBe(d.budgetFen);
        for (const x of d.finalFen) expect(Number.isSafeInteger(x) && x >= 0).toBe(true);
        const off = region.offSiteFacility;
        expect(d.offSiteFen).toBe(metric(I, yi, off, Metric.opFund) + metric(I, yi, off, Metric.ipFund));
        expect(d.offSiteFen).toBeGreaterThan(0);
        let ipOnSite = 0;
        for (let f = 0; f < nF; f++) if (f !== off) ipOnSite += metric(I, yi, f, Metric.ipFund);
        expect(ipOnSite).toBeGreaterThan(0);
        const covers = MODELS[name].covers ?? 'outpatientAndInpatient';
        expect(res.fundOutlayFen, name).toBe(d.budgetFen + d.offSiteFen + (covers === 'outpatient' ? ipOnSite : 0));
        expect(sum(res.fundToFacilityFen)).toBe(res.fundOutlayFen);
        // per facility: off-site claims fee-for-service, the rest by points (+ inpatient claims outside the budget)
        for (let f = 0; f < nF; f++) {
          const expected = f === off ? d.offSiteFen : d.finalFen[f] + (covers === 'outpatient' ? metric(I, yi, f, Metric.ipFund) : 0);
          expect(res.fundToFacilityFen[f]).toBe(expected);
        }
      });
    }
    for (const rep of run.replications) {
      for (const m of rep.models.slice(1)) {
        for (const [i, y] of m.years.entries()) {
          expect(y.settlement.offSiteFen).toBe(y.byTier.offSite.fundFen);
          expect(y.byTier.offSite.fundFen).toBe(rep.models[0].years[i].byTier.offSite.fundFen);
        }
      }
    }
  });

  it('budget: history basis = last year’s covered fund payments × 1.05; fixed basis = the amount in fen', () => {
    for (const name of NAMES) {
      each(name, ({ I, yi, d }) => {
        const { region } = I.c;
        const covers = MODELS[name].covers ?? 'outpatientAndInpatient';
        if (MODELS[name].basis === 'fixed') {
          expect(d.budgetBasis).toBe('fixed');
          expect(d.budgetFen).toBe(yuanToFen(FIXED_BUDGET_YUAN));
          expect(d.budgetFen).toBe(200_000_000);
          return;
        }
        expect(d.budgetBasis).toBe('history');
        let covered = 0;
        region.facilities.forEach((f, i) => {
          if (!f.offSite) covered += metric(I, yi - 1, i, Metric.opFund) + (covers === 'outpatient' ? 0 : metric(I, yi - 1, i, Metric.ipFund));
        });
        expect(d.budgetFen, name).toBe(applyRate(covered, 1.05));
      });
    }
  });

  it('points: hospitals by item points at base-year prices, primary facilities by capability points; point value final = budget ÷ Σ points × coefficient', () => {
    for (const name of NAMES) {
      const o = MODELS[name];
      const formula = compileFormula(o.capabilityCoefficient ?? '0.9 + 0.2 * signedShare', CAPABILITY_VARIABLES);
      const coefByTier = o.facilityCoefficient ?? { village: 1, township: 1, hospital: 1 };
      each(name, ({ I, yi, d }) => {
        const { region } = I.c;
        let total = 0;
        let weighted = 0;
        region.facilities.forEach((f, i) => {
          if (f.offSite) {
            expect(d.points[i]).toBe(0);
            return;
          }
          expect(d.coefficients[i]).toBe(coefByTier[f.tier]);
          const infl = 1 + (o.pointInflation?.[f.tier] ?? 0);
          let p: number;
          if (f.tier === 'hospital') {
            const drug = metric(I, yi, i, Metric.drugCost);
            const atBase = (metric(I, yi, i, Metric.opCost) - drug) / I.c.kp.priceIndex.service[yi] + drug / I.c.kp.priceIndex.drug[yi];
            p = atBase / 100 + (o.covers === 'outpatient' ? 0 : metric(I, yi, i, I.c.layout.slot.dipPoints) / 100);
          } else {
            const vs = f.tier === 'village' ? [i] : region.facilities.flatMap((v, j) => (v.tier === 'village' && v.township === i ? [j] : []));
            const heads = sum(vs.map((v) => metric(I, yi, v, Metric.patients)));
            const signed = sum(vs.map((v) => metric(I, yi, v, Metric.signed)));
            const visits = metric(I, yi, i, Metric.visits);
            const refills = metric(I, yi, i, Metric.refillVisits);
            const cap = formula.evaluate({ tier: f.tier === 'village' ? 0 : 1, signedShare: signed / heads, visitsPerPatient: visits / heads, patients: heads });
            p = (refills * 45 + (visits - refills) * 15) * Math.max(0, cap);
          }
          expect(rel(d.points[i], p * infl), `${name} ${f.id}`).toBeLessThan(1e-12);
          total += d.points[i];
          weighted += d.points[i] * d.coefficients[i];
        });
        expect(rel(d.totalPoints, total)).toBeLessThan(1e-12);
        expect(rel(d.weightedPoints, weighted)).toBeLessThan(1e-12);
        expect(rel(d.pointValueFinal, d.budgetFen / d.weightedPoints)).toBeLessThan(1e-12);
        // each facility's final payment is its weighted points at the final point value, to the fen
        for (let i = 0; i < d.finalFen.length; i++) expect(Math.abs(d.finalFen[i] - d.points[i] * d.coefficients[i] * d.pointValueFinal)).toBeLessThan(1);
      });
    }
  });

  it('pre-settlement and clearing: Σ prepaid + withheld = Σ round(points × coef × provisional value); balance = final − prepaid', () => {
    for (const name of NAMES) {
      const w = MODELS[name].withholdShare ?? 0.1;
      each(name, ({ I, yi, res, d }) => {
        // provisional point value: this year's budget over last year's weighted points
        const spec = I.spec(name) as PointsSpec;
        const formula = compileFormula(spec.physicianPoints.capabilityCoefficient, CAPABILITY_VARIABLES);
        const input = { region: I.c.region, agg: I.aggOf(name), layout: I.c.layout, yearIndex: yi, year: I.c.years[yi], years: I.c.years, horizonStart: I.c.horizonStart, priceIndex: I.c.kp.priceIndex };
        const prev = facilityPoints(spec, formula, input, yi - 1);
        const prevWeighted = sum(prev.points.map((p, i) => p * prev.coef[i]));
        expect(rel(d.pointValueProvisional, d.budgetFen / prevWeighted)).toBeLessThan(1e-12);
        let allocations = 0;
        let withheld = 0;
        for (let f = 0; f < d.points.length; f++) {
          const a = Math.round(d.points[f] * d.coefficients[f] * d.pointValueProvisional);
          allocations += a;
          withheld += Math.round(a * w);
          expect(d.prepaidFen[f]).toBe(a - Math.round(a * w));
          expect(d.balanceFen[f]).toBe(d.finalFen[f] - d.prepaidFen[f]);
        }
        expect(sum(d.prepaidFen) + d.withheldFen).toBe(allocations);
        expect(d.withheldFen).toBe(withheld);
        expect(d.withheldFen).toBeGreaterThan(0);
        expect(sum(d.balanceFen)).toBe(d.budgetFen - sum(d.prepaidFen));
        // the settlement figures the pipeline reports
        let clawback = 0;
        for (const b of d.balanceFen) if (b < 0) clawback -= b;
        const y = run.replications[reps.indexOf(I)].models.find((m) => m.name === name)!.years[yi - I.c.horizonStart];
        expect(y.settlement).toMatchObject({ budgetFen: d.budgetFen, withheldFen: d.withheldFen, clawbackFen: clawback, offSiteFen: d.offSiteFen });
        expect(res.fundOutlayFen).toBe(y.fundOutlayFen);
      });
    }
  });

  it('point inflation by village clinics (+20%) lowers the final point value and every other facility’s payment; the budget is fixed', () => {
    reps.forEach((I) =>
      [0, 1].forEach((hi) => {
        const base = I.pay('pts', hi).detail as PointsYearDetail;
        const infl = I.pay('pts-infl-v', hi).detail as PointsYearDetail;
        const tier = (f: number) => I.c.region.facilities[f].tier;
        const nonVillage = [...base.finalFen.keys()].filter((f) => tier(f) !== 'village' && base.points[f] > 0);
        const villages = [...base.finalFen.keys()].filter((f) => tier(f) === 'village');
        expect(infl.budgetFen).toBe(base.budgetFen);
        expect(infl.pointValueFinal).toBeLessThan(base.pointValueFinal);
        for (const f of villages) expect(rel(infl.points[f], base.points[f] * 1.2)).toBeLessThan(1e-12);
        for (const f of nonVillage) {
          expect(infl.points[f]).toBe(base.points[f]);
          expect(infl.finalFen[f]).toBeLessThanOrEqual(base.finalFen[f] + 1); // largest remainder may move one fen
        }
        const s = (d: PointsYearDetail, fs: number[]) => sum(fs.map((f) => d.finalFen[f]));
        expect(s(infl, nonVillage)).toBeLessThan(s(base, nonVillage));
        expect(s(infl, villages)).toBeGreaterThan(s(base, villages));
        expect(s(infl, villages) - s(base, villages)).toBe(s(base, nonVillage) - s(infl, nonVillage));
        // the hospitals alone lose money
        const hospitals = nonVillage.filter((f) => tier(f) === 'hospital');
        expect(s(infl, hospitals)).toBeLessThan(s(base, hospitals));
      }),
    );
    // the pipeline tells the same story: same outlay (the budget is fixed), other tiers paid less
    for (const rep of run.replications) {
      const base = rep.models.find((m) => m.name === 'pts')!.years;
      const infl = rep.models.find((m) => m.name === 'pts-infl-v')!.years;
      infl.forEach((y, i) => {
        expect(y.fundOutlayFen).toBe(base[i].fundOutlayFen);
        expect(y.settlement.pointValueFinal).toBeLessThan(base[i].settlement.pointValueFinal);
        expect(y.byTier.township.fundFen + y.byTier.hospital.fundFen).toBeLessThan(base[i].byTier.township.fundFen + base[i].byTier.hospital.fundFen);
      });
    }
  });

  it('equal inflation by everyone (+10%) changes no facility’s final payment by more than 1 fen (F1: the budget is fixed)', () => {
    reps.forEach((I) =>
      [0, 1].forEach((hi) => {
        const base = I.pay('pts', hi).detail as PointsYearDetail;
        const infl = I.pay('pts-infl-all', hi).detail as PointsYearDetail;
        expect(infl.budgetFen).toBe(base.budgetFen);
        expect(rel(infl.totalPoints, base.totalPoints * 1.1)).toBeLessThan(1e-12);
        expect(rel(infl.pointValueFinal, base.pointValueFinal / 1.1)).toBeLessThan(1e-12);
        expect(rel(infl.pointValueProvisional, base.pointValueProvisional / 1.1)).toBeLessThan(1e-12);
        for (let f = 0; f < base.finalFen.length; f++) expect(Math.abs(infl.finalFen[f] - base.finalFen[f])).toBeLessThanOrEqual(1);
        expect(sum(infl.finalFen)).toBe(sum(base.finalFen));
      }),
    );
  });
});
