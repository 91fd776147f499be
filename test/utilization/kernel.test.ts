// The simulation kernel, observed through its trace: every claim obeys F4, every patient-year adds
// up, the facility-year aggregates are exactly the sums of the traced claims, and results do not
// depend on how blocks are batched.
import { beforeAll, describe, expect, it } from 'vitest';
import { adjudicateClaim, newBenefitYear } from '../../engine/benefits/index.ts';
import { synthesizeBlock, type PatientColumns } from '../../engine/population/synthesize.ts';
import { compile, simulateBlocks, type Compiled } from '../../engine/run/simulate.ts';
import { simulateBlock, type ClaimTrace, type PatientYearTrace } from '../../engine/utilization/kernel.ts';
import { compileKernelParams, type KernelParams } from '../../engine/utilization/kernel-params.ts';
import { IP_DEDUCTIBLE } from '../../engine/params/month-table.ts';
import { yearKey } from '../../engine/population/synthesize.ts';
import { Purpose, streamKey } from '../../engine/rng/stream.ts';
import { Metric } from '../../engine/utilization/metrics.ts';
import { at } from '../../engine/params/param.ts';
import { tinyScenario } from '../helpers/tiny.ts';

interface BlockRun {
  block: number;
  pop: PatientColumns;
  claims: ClaimTrace[];
  years: PatientYearTrace[];
  agg: Float64Array;
}

/** Simulate each block of replication `rep` alone, with a trace collector. */
function traceBlocks(c: Compiled, rep: number): BlockRun[] {
  return c.region.blocks.map((_, b) => {
    const claims: ClaimTrace[] = [];
    const years: PatientYearTrace[] = [];
    const agg = simulateBlocks(c, rep, b, b + 1, (e) => (e.kind === 'patientYear' ? years.push(e) : claims.push(e)));
    return { block: b, pop: synthesizeBlock(c, rep, b), claims, years, agg };
  });
}

const isFen = (x: number) => Number.isSafeInteger(x);

describe('kernel on a tiny region (1 county, 4 blocks, 2 years)', () => {
  let c: Compiled;
  let runs: BlockRun[];
  let allClaims: ClaimTrace[];
  beforeAll(() => {
    c = compile(tinyScenario().scenario);
    runs = traceBlocks(c, 0);
    allClaims = runs.flatMap((r) => r.claims);
  });

  it('simulates a real amount of care (the checks below are not vacuous)', () => {
    expect(c.region.blocks.length).toBe(4);
    expect(allClaims.filter((e) => e.kind === 'outpatient').length).toBeGreaterThan(10_000);
    expect(allClaims.filter((e) => e.kind === 'inpatient').length).toBeGreaterThan(10);
    expect(allClaims.filter((e) => e.waived).length).toBeGreaterThan(100);
    expect(allClaims.filter((e) => e.offSite >= 0).length).toBeGreaterThan(10);
    expect(allClaims.filter((e) => e.deductibleFen > 0).length).toBeGreaterThan(100);
  });

  it('every claim: integer fen, fund + patient = cost, 0 ≤ fund ≤ eligible ≤ cost', () => {
    const bad = allClaims.filter(
      (e) =>
        !(isFen(e.costFen) && isFen(e.eligibleFen) && isFen(e.fundFen) && isFen(e.patientFen) && isFen(e.deductibleFen)) ||
        e.fundFen + e.patientFen !== e.costFen ||
        e.fundFen < 0 ||
        e.fundFen > e.eligibleFen ||
        e.eligibleFen < 0 ||
        e.eligibleFen > e.costFen ||
        e.deductibleFen < 0 ||
        e.deductibleFen > e.eligibleFen ||
        e.costFen <= 0,
    );
    expect(bad.slice(0, 3)).toEqual([]);
  });

  it('every patient-year: fund + patient = cost, outpatient fund ≤ annual cap, and it sums its claims', () => {
    for (const r of runs) {
      const sums = new Map<string, { cost: number; fund: number; opFund: number }>();
      for (const e of r.claims) {
        const k = `${e.patient}/${e.yearIndex}`;
        const s = sums.get(k) ?? { cost: 0, fund: 0, opFund: 0 };
        s.cost += e.costFen;
        s.fund += e.fundFen;
        if (e.kind === 'outpatient') s.opFund += e.fundFen;
        sums.set(k, s);
      }
      for (const y of r.years) {
        expect(y.fundFen + y.patientFen).toBe(y.costFen);
        expect(y.opFundFen).toBeLessThanOrEqual(y.capFen);
        expect(y.opFundFen).toBeLessThanOrEqual(y.fundFen);
        expect(y.capFen).toBe(c.kp.capFen[y.yearIndex]);
        const s = sums.get(`${y.patient}/${y.yearIndex}`) ?? { cost: 0, fund: 0, opFund: 0 };
        expect([y.costFen, y.fundFen, y.opFundFen]).toEqual([s.cost, s.fund, s.opFund]);
      }
      // one patient-year event per active patient-year, and none for inactive ones
      let active = 0;
      for (let p = 0; p < r.pop.n; p++) active += Math.max(0, Math.min(r.pop.exit[p], c.years.length) - r.pop.entry[p]);
      expect(r.years.length).toBe(active);
    }
  });

  it("each patient-year's outpatient claims, replayed through adjudicateClaim in order, give the traced shares (F4)", () => {
    for (const r of runs) {
      const state = new Map<string, ReturnType<typeof newBenefitYear>>();
      for (const e of r.claims) {
        if (e.kind !== 'outpatient') continue;
        const k = `${e.patient}/${e.yearIndex}`;
        let st = state.get(k);
        if (!st) state.set(k, (st = newBenefitYear(c.kp.deductibleFen[e.yearIndex], c.kp.capFen[e.yearIndex])));
        // the traced ratio is the effective one (off-site reduction already taken off)
        const res = adjudicateClaim({ costFen: e.costFen, eligibleFen: e.eligibleFen, ratio: e.ratio, offSiteReduction: 0, waived: e.waived }, st);
        if (res.fundFen !== e.fundFen || res.deductibleFen !== e.deductibleFen) expect({ claim: e, replay: res }).toBeUndefined();
      }
    }
  });

  it('effective ratios: the tier ratio on site, less the category reduction off site, less the undesignated-facility reduction', () => {
    const b = c.scenario.benefits;
    const tierRatio = [b.ratio.value!.village, b.ratio.value!.township, b.ratio.value!.hospital];
    const red = b.offSiteReduction.value!;
    const reductions = [red.inProvinceReferred, red.inProvinceUnreferred, red.crossProvinceReferred, red.crossProvinceUnreferred];
    // Conditions with a designated facility (Wuhu: hemophilia −5 pp outside it, i.e. away from the patient's hospital).
    const conds = Object.keys(c.scenario.population.prevalence);
    const undes = (b.undesignatedReduction?.value ?? {}) as Record<string, number>;
    const bad = runs.flatMap((r) =>
      r.claims.filter((e) => {
        if (e.kind === 'inpatient') return e.ratio !== b.inpatient.ratio.value || e.deductibleFen !== Math.min(c.kp.months.rows[IP_DEDUCTIBLE], e.eligibleFen); // the inpatient deductible applies per admission
        const mask = r.pop.conditions[e.patient];
        const u = e.facility === r.pop.hospital[e.patient] ? 0 : Math.max(0, ...conds.map((k, i) => ((mask & (1 << i)) !== 0 ? (undes[k] ?? 0) : 0)));
        const expected = Math.max(0, (e.offSite < 0 ? tierRatio[e.tier] : tierRatio[2] - reductions[e.offSite]) - u);
        return Math.abs(e.ratio - expected) > 1e-12;
      }),
    );
    expect(bad.slice(0, 3)).toEqual([]);
  });

  it('claims go to the patient’s own facilities; off-site only from the hospital tier', () => {
    for (const r of runs) {
      const bad = r.claims.filter((e) => {
        const own = [r.pop.village[e.patient], r.pop.township[e.patient], r.pop.hospital[e.patient]];
        if (e.offSite >= 0) return e.tier !== 2 || e.facility !== c.region.offSiteFacility;
        return e.facility !== own[e.tier] || c.region.tierCode[e.facility] !== e.tier;
      });
      expect(bad.slice(0, 3)).toEqual([]);
    }
  });

  it('a waived claim only happens for a signed patient at their signed tier (village if rural, township if urban), on site, while the waiver is in force', () => {
    // In the default scenario signingWaivesDeductible is false until 2025-05-01, true from then on.
    const waiverInForce = (yearIndex: number, month: number) => at(c.scenario.benefits.signingWaivesDeductible, c.years[yearIndex], month);
    expect(waiverInForce(0, 1)).toBe(false);
    expect(waiverInForce(1, 1)).toBe(true);
    for (const r of runs) {
      for (const e of r.claims) {
        const signed = r.pop.signed[e.patient] === 1;
        const signedTier = r.pop.urban[e.patient] === 1 ? 1 : 0;
        const inForce = waiverInForce(e.yearIndex, e.month);
        const shouldWaive = e.kind === 'outpatient' && signed && e.tier === signedTier && e.offSite < 0 && inForce;
        if (e.waived !== shouldWaive) expect({ claim: e, signed, urban: r.pop.urban[e.patient], inForce }).toBeUndefined();
      }
    }
  });

  // Regression (fixed): see test/benefits/adjudicate.test.ts "signing never raises what a patient
  // pays". A waived claim used to leave the deductible to a later claim; when that claim has a higher ratio
  // (an urban signed patient's village-clinic visit at 65% after a waived township visit at 60%), the
  // patient paid more than without the waiver (in this tiny region ~7% of waived patient-years did).
  it('signing never raises what a simulated patient pays: each patient-year replayed without its waivers costs the patient at least as much', () => {
    const worse: { block: number; patient: number; yearIndex: number; extraFen: number }[] = [];
    for (const r of runs) {
      const byPY = new Map<string, ClaimTrace[]>();
      for (const e of r.claims) {
        if (e.kind !== 'outpatient') continue;
        const k = `${e.patient}/${e.yearIndex}`;
        const list = byPY.get(k);
        if (list) list.push(e);
        else byPY.set(k, [e]);
      }
      for (const cl of byPY.values()) {
        if (!cl.some((e) => e.waived)) continue;
        const yi = cl[0].yearIndex;
        const pay = (withWaiver: boolean) => {
          const st = newBenefitYear(c.kp.deductibleFen[yi], c.kp.capFen[yi]);
          return cl.reduce((a, e) => a + adjudicateClaim({ costFen: e.costFen, eligibleFen: e.eligibleFen, ratio: e.ratio, offSiteReduction: 0, waived: withWaiver && e.waived }, st).patientFen, 0);
        };
        const extra = pay(true) - pay(false);
        if (extra > 0) worse.push({ block: r.block, patient: cl[0].patient, yearIndex: yi, extraFen: extra });
      }
    }
    expect(worse.slice(0, 3), `${worse.length} waived patient-years pay more than without the waiver`).toEqual([]);
  });

  it('aggregates equal the sums of the traced claims per facility-year', () => {
    const nF = c.region.facilities.length;
    const M = Metric as Record<string, number>;
    // Metrics the trace determines; others (e.g. drug cost, points) are not in the trace.
    const checked = ['visits', 'opCost', 'opEligible', 'opFund', 'refillVisits', 'admissions', 'ipCost', 'ipFund', 'patients', 'signed', 'capReached', 'homeOpFund', 'homeIpFund'].filter((m) => m in M);
    expect(checked.length).toBeGreaterThanOrEqual(11);
    for (const r of runs) {
      const expected = new Float64Array(r.agg.length);
      const add = (yearIndex: number, facility: number, metric: string, v: number) => {
        if (metric in M) expected[(yearIndex * nF + facility) * c.layout.nm + M[metric]] += v;
      };
      for (const e of r.claims) {
        const home = r.pop.village[e.patient];
        if (e.kind === 'outpatient') {
          add(e.yearIndex, e.facility, 'visits', 1);
          add(e.yearIndex, e.facility, 'opCost', e.costFen);
          add(e.yearIndex, e.facility, 'opEligible', e.eligibleFen);
          add(e.yearIndex, e.facility, 'opFund', e.fundFen);
          if (e.refill) add(e.yearIndex, e.facility, 'refillVisits', 1);
          add(e.yearIndex, home, 'homeOpFund', e.fundFen);
        } else {
          add(e.yearIndex, e.facility, 'admissions', 1);
          add(e.yearIndex, e.facility, 'ipCost', e.costFen);
          add(e.yearIndex, e.facility, 'ipFund', e.fundFen);
          add(e.yearIndex, home, 'homeIpFund', e.fundFen);
        }
      }
      for (const y of r.years) {
        const home = r.pop.village[y.patient];
        add(y.yearIndex, home, 'patients', 1);
        add(y.yearIndex, home, 'signed', r.pop.signed[y.patient]);
        if (y.capFen > 0 && y.opFundFen === y.capFen) add(y.yearIndex, home, 'capReached', 1);
      }
      for (const m of checked) {
        for (let fy = 0; fy < r.agg.length / c.layout.nm; fy++) {
          const i = fy * c.layout.nm + M[m];
          if (r.agg[i] !== expected[i]) expect({ facilityYear: fy, metric: m, agg: r.agg[i], fromTrace: expected[i] }).toBeUndefined();
        }
      }
      // drug cost is a part of outpatient cost
      for (let i = 0; i < r.agg.length; i += c.layout.nm) expect(r.agg[i + Metric.drugCost]).toBeLessThanOrEqual(r.agg[i + Metric.opCost]);
    }
  });

  it('batch-size independence: blocks together = blocks one at a time, summed', () => {
    const nB = c.region.blocks.length;
    for (const rep of [0, 1]) {
      const together = simulateBlocks(c, rep, 0, nB);
      const one = rep === 0 ? runs.map((r) => r.agg) : Array.from({ length: nB }, (_, b) => simulateBlocks(c, rep, b, b + 1));
      const summed = new Float64Array(together.length);
      for (const a of one) for (let i = 0; i < a.length; i++) summed[i] += a[i];
      expect(Array.from(together)).toEqual(Array.from(summed));
      const halves = [simulateBlocks(c, rep, 0, 2), simulateBlocks(c, rep, 2, nB)];
      expect(Array.from(together)).toEqual(Array.from(halves[0].map((x, i) => x + halves[1][i])));
    }
  });

  it('same (seed, replication, block) → same aggregates and trace; another replication → different', () => {
    const again = traceBlocks(c, 0);
    expect(again.map((r) => Array.from(r.agg))).toEqual(runs.map((r) => Array.from(r.agg)));
    expect(again[0].claims.slice(0, 500)).toEqual(runs[0].claims.slice(0, 500));
    expect(Array.from(simulateBlocks(c, 1, 0, 1))).not.toEqual(Array.from(runs[0].agg));
  });
});

describe('kernel with a binding annual cap (300 yuan)', () => {
  it('outpatient fund per patient-year never exceeds the cap, and patients reaching it are counted', () => {
    const s = tinyScenario({
      years: 1,
      residentsPerTownship: 20000,
      extra: `benefits:
  annualCap: { unit: yuan/year, source: "assumption: test", value: 300 }
  deductible: { unit: yuan/year, source: "assumption: test", value: 0 }
`,
    });
    const c = compile(s.scenario);
    const years: PatientYearTrace[] = [];
    const agg = simulateBlocks(c, 0, 0, c.region.blocks.length, (e) => {
      if (e.kind === 'patientYear') years.push(e);
    });
    expect(c.kp.capFen[0]).toBe(30_000);
    const atCap = years.filter((y) => y.opFundFen === 30_000).length;
    expect(years.every((y) => y.opFundFen <= 30_000)).toBe(true);
    expect(atCap).toBeGreaterThan(10);
    let capReached = 0;
    for (let i = 0; i < agg.length; i += c.layout.nm) capReached += agg[i + Metric.capReached];
    expect(capReached).toBe(atCap);
  });
});

describe('common random numbers per patient-year (sub-streams)', () => {
  // A behavioural variant (50% more consultations in March of the horizon's first year) changes the
  // counts of some patient-years. Each patient-year draws from its own sub-streams, so a patient-year
  // whose March count is unchanged draws exactly the same numbers — whatever happened to the
  // patients before it in the block (under 0.1's shared block stream, the first changed count
  // shifted every later patient's draws).
  it('a patient-year whose counts the variant leaves alone gets identical claims, even after a patient whose counts changed', () => {
    const c = compile(tinyScenario().scenario);
    const y0 = c.years[c.horizonStart];
    const kpVariant = compileKernelParams(c.scenario, c.years, { consultFactor: (y, mo) => (y === y0 && mo === 3 ? 1.5 : 1) });
    const nF = c.region.facilities.length;
    const ctx = (kp: KernelParams) => ({
      variant: { key: 'x', kp },
      layout: c.layout,
      figures: c.figures,
      nFacilities: nF,
      offSiteFacility: c.region.offSiteFacility,
      communityOf: new Int32Array(c.region.facilities.map((f) => f.community)),
      pharmacyOf: new Int32Array(c.region.facilities.map((f) => (f.county >= 0 ? c.region.pharmacyOfCounty[f.county] : -1))),
      isCity: new Uint8Array(c.region.facilities.map((f) => (f.city ? 1 : 0))),
    });
    let changed = 0;
    let unchangedAfterChanged = 0;
    for (let b = 0; b < c.region.blocks.length; b++) {
      const pop = synthesizeBlock(c, 0, b);
      const streams = {
        uniform: c.years.map((y) => streamKey(c.scenario.seed, 0, b, yearKey(Purpose.utilization, y))),
        normal: c.years.map((y) => streamKey(c.scenario.seed, 0, b, yearKey(Purpose.utilizationNormals, y))),
      };
      const run = (kp: KernelParams) => {
        const byPatientYear = new Map<string, ClaimTrace[]>();
        simulateBlock(ctx(kp), pop, streams, new Float64Array(c.aggSize), (e) => {
          if (e.kind === 'patientYear') return;
          const k = `${e.patient}:${e.yearIndex}`;
          byPatientYear.set(k, [...(byPatientYear.get(k) ?? []), e]);
        });
        return byPatientYear;
      };
      const base = run(c.kp);
      const variant = run(kpVariant);
      let seenChange = false;
      for (let p = 0; p < pop.n; p++) {
        for (let yi = 0; yi < c.years.length; yi++) {
          const a = base.get(`${p}:${yi}`) ?? [];
          const v = variant.get(`${p}:${yi}`) ?? [];
          const march = (xs: ClaimTrace[]) => xs.filter((x) => x.month === 3).length;
          if (march(a) === march(v)) {
            expect(JSON.stringify(v), `patient ${p} year ${yi} of block ${b}`).toBe(JSON.stringify(a));
            if (seenChange && yi === c.horizonStart && a.length > 0) unchangedAfterChanged++;
          } else {
            expect(yi).toBe(c.horizonStart);
            expect(march(v)).toBeGreaterThan(march(a)); // the same uniform inverts to a count ≥ under a higher rate
            changed++;
            seenChange = true;
          }
        }
      }
    }
    expect(changed).toBeGreaterThan(0);
    expect(unchangedAfterChanged).toBeGreaterThan(0);
  });
});
