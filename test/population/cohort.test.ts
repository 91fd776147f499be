// The cohort's flows against their parameters, within Monte Carlo error (F8, docs/model.md
// "Cohort"): deaths, leavers and new registrations (expected counts recomputed here from the
// parameters, z within 4), ageing, co-occurrence of hypertension and diabetes, the persistence of
// the drug-cost level (Fisher z), and care limited to the months a patient is registered.
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../engine/params/load.ts';
import { at } from '../../engine/params/param.ts';
import { RATE_BANDS } from '../../engine/params/schema.ts';
import { enrolmentFactor } from '../../engine/population/region.ts';
import { conditionalPair, EXIT_DEATH, EXIT_LEAVER, rateBand, synthesizeBlock, type PatientColumns } from '../../engine/population/synthesize.ts';
import { compile, simulateBlocks, type Compiled } from '../../engine/run/simulate.ts';
import type { ClaimTrace } from '../../engine/utilization/kernel.ts';
import { Metric } from '../../engine/utilization/metrics.ts';
import { tinyScenarioText } from '../helpers/tiny.ts';

/** The default region's rules on one county of 120,000 residents (12 blocks), five horizon years. */
function compiled(extra = '', years = 5): Compiled {
  return compile(parseScenarioText(tinyScenarioText({ residents: 120_000, years, extra }), '<cohort>').scenario);
}

function populations(c: Compiled, reps: number[]): PatientColumns[] {
  return reps.flatMap((r) => c.region.blocks.map((_, b) => synthesizeBlock(c, r, b)));
}

const z = (obs: number, exp: number, variance: number) => (obs - exp) / Math.sqrt(Math.max(variance, 1e-9));

describe('deaths and leavers', () => {
  const c = compiled();
  const s = c.scenario;
  const conds = Object.keys(s.population.prevalence);
  const pops = populations(c, [0, 1, 2]);

  it('deaths: observed = Σ q over the patient-years at risk (q from mortality, excess hazards and prevalence), |z| < 4, per age band', () => {
    const h0 = c.horizonStart;
    const obs = new Float64Array(5);
    const exp = new Float64Array(5);
    const v = new Float64Array(5);
    const leaveObs = new Float64Array(5);
    const leaveExp = new Float64Array(5);
    const leaveV = new Float64Array(5);
    for (let yi = h0; yi < c.years.length; yi++) {
      const y = c.years[yi];
      const mort = at(s.population.mortality, y);
      const ex = at(s.population.excessMortality, y);
      const leave = at(s.population.leaverRate, y);
      const prev = conds.map((k) => at(s.population.prevalence[k], c.years[h0]));
      const prevAt = (ci: number, band: number) => {
        const mid = [31, 52, 64.5, 74.5, 84.5][band];
        return mid < 45 ? prev[ci]['18-44'] : mid < 65 ? prev[ci]['45-64'] : prev[ci]['65+'];
      };
      for (const pop of pops) {
        for (let p = 0; p < pop.n; p++) {
          // at risk: registered at the start of the year (new registrations of the year are not)
          if (pop.entry[p] > yi || pop.exit[p] <= yi || (pop.isNew[p] === 1 && pop.entry[p] === yi)) continue;
          const band = rateBand(Math.min(yi - pop.birth[p], 89));
          const rb = RATE_BANDS[band];
          let hr = 1;
          let adj = 1;
          conds.forEach((k, ci) => {
            if (pop.conditions[p] & (1 << ci)) hr *= ex[k][rb];
            adj *= 1 - prevAt(ci, band) + prevAt(ci, band) * ex[k][rb];
          });
          const base = pop.male[p] ? mort.male[rb] : mort.female[rb];
          const q = 1 - Math.pow(1 - base, hr / adj);
          const ql = (1 - q) * leave[rb];
          exp[band] += q;
          v[band] += q * (1 - q);
          leaveExp[band] += ql;
          leaveV[band] += ql * (1 - ql);
          if (pop.exit[p] === yi + 1 && pop.exitKind[p] === EXIT_DEATH) obs[band]++;
          if (pop.exit[p] === yi + 1 && pop.exitKind[p] === EXIT_LEAVER) leaveObs[band]++;
        }
      }
    }
    for (let band = 0; band < 5; band++) {
      expect(Math.abs(z(obs[band], exp[band], v[band])), `deaths, band ${RATE_BANDS[band]}: ${obs[band]} vs ${exp[band].toFixed(1)}`).toBeLessThan(4);
      expect(Math.abs(z(leaveObs[band], leaveExp[band], leaveV[band])), `leavers, band ${RATE_BANDS[band]}: ${leaveObs[band]} vs ${leaveExp[band].toFixed(1)}`).toBeLessThan(4);
    }
    expect(obs.reduce((a, b) => a + b)).toBeGreaterThan(500); // enough deaths to mean something
  });

  it('new registrations: observed = Poisson mean from incidence × insured at risk × sex factor, per condition, |z| < 4', () => {
    const h0 = c.horizonStart;
    for (const [ci, k] of conds.entries()) {
      let obs = 0;
      let exp = 0;
      for (let yi = h0; yi < c.years.length; yi++) {
        const y = c.years[yi];
        const inc = at(s.population.incidence, y)[k];
        const mf = s.population.incidenceMaleFactor ? at(s.population.incidenceMaleFactor, y)[k] ?? 1 : 1;
        const male = at(s.population.maleShare, c.years[h0]);
        const ages = at(s.population.ageStructure, c.years[h0]);
        const prev = at(s.population.prevalence[k], c.years[h0]);
        const insuredShare = at(s.region.insuredShare, c.years[h0]);
        for (const b of c.region.blocks) {
          const insured = b.residents.reduce((a, x) => a + x, 0) * insuredShare * enrolmentFactor(s, c.years, h0, yi);
          RATE_BANDS.forEach((rb, band) => {
            const mid = [31, 52, 64.5, 74.5, 84.5][band];
            const p = mid < 45 ? prev['18-44'] : mid < 65 ? prev['45-64'] : prev['65+'];
            // both sexes together at the band's rate: the factor only splits it between men and women
            exp += 3 * insured * ages[rb as keyof typeof ages] * (1 - p) * inc[rb as keyof typeof inc] * ((male * mf + (1 - male)) / (male * mf + (1 - male)));
          });
        }
      }
      for (const pop of pops) for (let p = 0; p < pop.n; p++) if (pop.isNew[p] === 1 && pop.conditions[p] === 1 << ci) obs++;
      expect(Math.abs(z(obs, exp, exp)), `${k}: ${obs} new registrations vs ${exp.toFixed(1)}`).toBeLessThan(4);
    }
  });

  it('sex: new hypertension registrations are men and women in the ratio male share × factor : female share', () => {
    const ci = conds.indexOf('hypertension');
    const mf = at(s.population.incidenceMaleFactor!, 2025).hypertension;
    const male = at(s.population.maleShare, 2025);
    let men = 0;
    let all = 0;
    for (const pop of pops) for (let p = 0; p < pop.n; p++) if (pop.isNew[p] === 1 && pop.conditions[p] === 1 << ci) (all++, (men += pop.male[p]));
    const pm = (male * mf) / (male * mf + 1 - male);
    expect(Math.abs(z(men, all * pm, all * pm * (1 - pm)))).toBeLessThan(4);
  });
});

describe('co-occurrence, ageing, months in care', () => {
  it("hypertension and diabetes co-occur with the pair's odds ratio: counts of each registered combination per age band, |z| < 4", () => {
    const c = compiled('', 1);
    const s = c.scenario;
    const pops = populations(c, [0, 1, 2, 3]);
    const [p1s, p2s] = ['hypertension', 'diabetes'].map((k) => at(s.population.prevalence[k], 2025));
    const [t1, t2] = ['hypertension', 'diabetes'].map((k) => at(s.population.treatedShare[k], 2025));
    const or = at(s.population.comorbidity!, 2025)['hypertension+diabetes'];
    const ages = at(s.population.ageStructure, 2025);
    const insured = c.region.blocks.reduce((a, b) => a + b.residents.reduce((x, r) => x + Math.round(r * at(s.region.insuredShare, 2025)), 0), 0) * 4;
    // residents by prevalence band: ages uniform within ageStructure's bands (60-69 half each side of 65)
    const byBand = { '18-44': ages['18-44'], '45-64': ages['45-59'] + ages['60-69'] / 2, '65+': ages['60-69'] / 2 + ages['70-79'] + ages['80+'] };
    const hemophilia = Object.keys(s.population.prevalence).indexOf('hemophilia');
    for (const band of ['18-44', '45-64', '65+'] as const) {
      const p1 = p1s[band];
      const p2 = p2s[band];
      const [given1] = conditionalPair(p1, p2, or);
      const p11 = given1 * p1;
      const expected = { both: p11 * t1 * t2, htn: t1 * (p1 - p11 * t2), dm: t2 * (p2 - p11 * t1) };
      const obs = { both: 0, htn: 0, dm: 0 };
      for (const pop of pops) {
        for (let p = 0; p < pop.n; p++) {
          if (pop.isNew[p]) continue;
          const age = c.horizonStart - pop.birth[p];
          const b = age < 45 ? '18-44' : age < 65 ? '45-64' : '65+';
          if (b !== band) continue;
          const m = pop.conditions[p] & ~(hemophilia >= 0 ? 1 << hemophilia : 0);
          if (m === 3) obs.both++;
          else if (m === 1) obs.htn++;
          else if (m === 2) obs.dm++;
        }
      }
      const n = insured * byBand[band];
      for (const k of ['both', 'htn', 'dm'] as const) expect(Math.abs(z(obs[k], n * expected[k], n * expected[k])), `${band} ${k}: ${obs[k]} vs ${(n * expected[k]).toFixed(1)}`).toBeLessThan(4);
    }
    // and the odds ratio is really 2 where it matters: more diabetes among hypertension patients
    expect(or).toBe(2);
  });

  it('everyone ages a year each year: without flows the mean age rises by exactly 1', async () => {
    const none = `population:
  mortality: { unit: share/year, source: test, value: { male: { "18-44": 0, "45-59": 0, "60-69": 0, "70-79": 0, "80+": 0 }, female: { "18-44": 0, "45-59": 0, "60-69": 0, "70-79": 0, "80+": 0 } } }
  leaverRate: { unit: share/year, source: test, value: { "18-44": 0, "45-59": 0, "60-69": 0, "70-79": 0, "80+": 0 } }
  incidence: { unit: share/year, source: test, value: { hypertension: { "18-44": 0, "45-59": 0, "60-69": 0, "70-79": 0, "80+": 0 }, diabetes: { "18-44": 0, "45-59": 0, "60-69": 0, "70-79": 0, "80+": 0 }, hemophilia: { "18-44": 0, "45-59": 0, "60-69": 0, "70-79": 0, "80+": 0 } } }
benefits:
  reReviewAfterMonths: { unit: months, source: test, value: 120 }`;
    const c = compiled(none, 3);
    const all = simulateBlocks(c, 0, 0, c.region.blocks.length);
    const nF = c.region.facilities.length;
    const mean = (yi: number) => {
      let ages = 0;
      let n = 0;
      for (let f = 0; f < nF; f++) {
        ages += all[(yi * nF + f) * c.layout.nm + Metric.ageSum];
        n += all[(yi * nF + f) * c.layout.nm + Metric.patients];
      }
      return { mean: ages / n, n };
    };
    const [a, b, d] = [mean(c.horizonStart), mean(c.horizonStart + 1), mean(c.horizonStart + 2)];
    expect(b.n).toBe(a.n);
    expect(b.mean - a.mean).toBeCloseTo(1, 12);
    expect(d.mean - b.mean).toBeCloseTo(1, 12);
  });

  it('care only in the months registered: no claim before the month of registration or after the month of leaving', () => {
    const c = compiled('', 3);
    for (let b = 0; b < 2; b++) {
      const pop = synthesizeBlock(c, 0, b);
      const claims: ClaimTrace[] = [];
      simulateBlocks(c, 0, b, b + 1, (e) => {
        if (e.kind !== 'patientYear') claims.push(e);
      });
      for (const e of claims) {
        const p = e.patient;
        if (e.yearIndex === pop.entry[p]) expect(e.month - 1, `patient ${p} registered in month ${pop.entryMonth[p] + 1}`).toBeGreaterThanOrEqual(pop.entryMonth[p]);
        if (e.yearIndex === pop.exit[p] - 1) expect(e.month, `patient ${p} left after month ${pop.exitMonth[p]}`).toBeLessThanOrEqual(pop.exitMonth[p]);
        expect(e.yearIndex).toBeLessThan(pop.exit[p]);
      }
    }
  });
});

describe('a persistent drug-cost level', () => {
  it('log drug cost per day correlates between consecutive years with costPersistence (Fisher z within 4 SE), forwards and into history years', () => {
    // Hypertension only, with a capitation model so that history years are simulated too.
    const extra = `paymentModels:
  - { name: ffs, type: feeForService }
  - name: cap
    type: capitation
    historyYears: 2
    trendFactor: { unit: factor, source: test, value: 1 }
    retention: { retentionRate: { unit: share, source: test, value: 1 }, villageShare: { unit: share, source: test, value: 0.4 }, townshipShare: { unit: share, source: test, value: 0.3 } }
    overspend: { leadShare: { unit: share, source: test, value: 0.5 } }
    publicHealth: { fundsPerResident: { unit: yuan/person/year, source: test, value: 94 }, matchingShare: { unit: share, source: test, value: 0.1 }, assessmentScore: { unit: share, source: test, value: 1 } }`;
    const c = compiled(extra, 3);
    const rho = at(c.scenario.population.costPersistence, 2025);
    const hyp = 1 << Object.keys(c.scenario.population.prevalence).indexOf('hypertension');
    const { median, sigma } = at(c.scenario.utilization.dailyDrugCost, 2025).hypertension;
    const ageF = at(c.scenario.population.ageFactors, 2025).drugCost;
    const vbp = 1; // wuhu-default has no procurement step
    // the standardized level z of each (patient, year) from the first refill of the year
    const levels = new Map<string, number>();
    for (let b = 0; b < c.region.blocks.length; b++) {
      const pop = synthesizeBlock(c, 0, b);
      simulateBlocks(c, 0, b, b + 1, (e) => {
        if (e.kind !== 'outpatient' || !e.refill || pop.conditions[e.patient] !== hyp) return;
        const key = `${b}:${e.patient}:${e.yearIndex}`;
        if (levels.has(key)) return;
        const age = Math.min(e.yearIndex - pop.birth[e.patient], 89);
        const daily = (e.drugFen ?? 0) / 100 / e.days! / (c.kp.priceIndex.drug[e.yearIndex] * ageF[RATE_BANDS[rateBand(age)]] * vbp);
        levels.set(key, (Math.log(daily) - Math.log(median)) / sigma);
      });
    }
    const pairs = (y0: number) => {
      const xs: number[] = [];
      const ys: number[] = [];
      for (const [key, v] of levels) {
        const [b, p, y] = key.split(':').map(Number);
        if (y !== y0) continue;
        const w = levels.get(`${b}:${p}:${y + 1}`);
        if (w !== undefined) (xs.push(v), ys.push(w));
      }
      return { xs, ys };
    };
    const corr = (xs: number[], ys: number[]) => {
      const n = xs.length;
      const mx = xs.reduce((a, x) => a + x, 0) / n;
      const my = ys.reduce((a, y) => a + y, 0) / n;
      let sxy = 0, sxx = 0, syy = 0;
      for (let i = 0; i < n; i++) (sxy += (xs[i] - mx) * (ys[i] - my), (sxx += (xs[i] - mx) ** 2), (syy += (ys[i] - my) ** 2));
      return sxy / Math.sqrt(sxx * syy);
    };
    for (const y0 of [c.horizonStart - 2, c.horizonStart - 1, c.horizonStart, c.horizonStart + 1]) {
      const { xs, ys } = pairs(y0);
      expect(xs.length).toBeGreaterThan(1000);
      const r = corr(xs, ys);
      // Fisher z: atanh(r) ~ N(atanh(ρ), 1/(n − 3)); the level is exact up to the fen rounding of the drug cost
      const zf = (Math.atanh(r) - Math.atanh(rho)) * Math.sqrt(xs.length - 3);
      expect(Math.abs(zf), `${c.years[y0]}→${c.years[y0 + 1]}: r = ${r.toFixed(3)} over ${xs.length} patients, ρ = ${rho}`).toBeLessThan(4);
    }
  });
});
