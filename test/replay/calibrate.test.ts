// Calibration round trip: fit the synthesis parameters to the demonstration data (written by the
// kernel from scenarios/data/demo-county.yaml), then a synthetic run of the calibrated fragment
// reproduces the data's totals and per-tier means within sampling error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDated, loadScenario, runScenario, type RunResult } from '../../engine/index.ts';
import { calibrate, ratesByCondition, writeFragment, type Fit } from '../../engine/replay/calibrate.ts';
import { loadReplayData, runReplay, type ReplayResult } from '../../engine/replay/replay.ts';
import { DEMO, tmp, write } from './helpers.ts';

const t = tmp();
afterAll(t.done);
const base = loadScenario(DEMO.scenario);
const R = 12;
let fit: Fit;
let out: string;
let sim: RunResult;
let obs: ReplayResult;

beforeAll(async () => {
  const data = await loadReplayData({ enrollment: DEMO.enrollment, claims: DEMO.claims, conditions: Object.keys(base.scenario.population.prevalence) });
  fit = calibrate(data, { base, baseRef: DEMO.scenario });
  out = join(t.dir, 'params.yaml');
  writeFragment(fit, out, DEMO.scenario, base);
  sim = await runScenario(loadScenario(out), { replications: R, seed: 99, workers: 1 });
  obs = runReplay(data, base);
});

describe('calibrate', () => {
  it('writes a valid fragment extending the base, every fitted parameter with its unit and a "calibrated from" source', () => {
    const text = readFileSync(out, 'utf8');
    const doc = parse(text) as Record<string, unknown>;
    expect(doc.extends).toMatch(/demo-county\.yaml$/);
    expect(text).toMatch(/prevalence × treatedShare/);
    const params = listDated(doc);
    expect(params.length).toBeGreaterThan(15);
    for (const { path, param } of params) {
      // Fitted, or said to be kept from the template or set by construction: never "calibrated" otherwise.
      expect(param.source, path.join('.')).toMatch(/^(calibrated from |kept from the template)/);
      expect(param.unit, path.join('.')).toBeTruthy();
      const p = path.join('.');
      const lines = fit.params.filter((l) => l.path === p || l.path.startsWith(`${p}.`));
      expect(lines.length, p).toBeGreaterThan(0);
      if (param.source.startsWith('calibrated from')) expect(lines.some((l) => l.status === 'fitted'), p).toBe(true);
      else expect(lines.every((l) => l.status !== 'fitted'), p).toBe(true);
    }
    const prev = (doc.population as { prevalence: Record<string, { source: string }> }).prevalence;
    expect(prev.hypertension.source).toMatch(/^calibrated from enrollment\.csv, claims\.csv\.gz, 2025, n = 2,\d{3} adult patients registered on the first day/);
    // Every fitted number has a standard error; what has no data is kept from the template and says so.
    for (const l of fit.params.filter((x) => x.status === 'fitted')) {
      expect(Number.isFinite(l.estimate) && Number.isFinite(l.se) && l.se! >= 0, l.path).toBe(true);
    }
    const drug = (doc.utilization as { dailyDrugCost: { note?: string } }).dailyDrugCost;
    expect(drug.note).toMatch(/hemophilia: kept from the template/);
    expect(fit.params.find((l) => l.path === 'utilization.dailyDrugCost.hemophilia')?.status).toBe('kept');
    expect(fit.params.find((l) => l.path === 'benefits.deductible')?.status).toBe('kept');
    // Conditions jointly: the hypertension–diabetes odds ratio is fitted.
    expect(fit.params.find((l) => l.path === 'population.comorbidity.hypertension+diabetes')?.status).toBe('fitted');
    // The scenario it describes: prevalence × the template's treatedShare = the registered share.
    const s = loadScenario(out).scenario;
    expect(s.population.treatedShare.hypertension.value).toBe(base.scenario.population.treatedShare.hypertension.value);
    expect(fit.params.find((l) => l.path === 'population.treatedShare.hypertension')?.status).toBe('kept');
    expect(s.horizon).toEqual({ startYear: 2025, years: 1 });
  });

  it('recovers the generating parameters (one realization: within a few standard errors)', () => {
    const s = loadScenario(out).scenario;
    const v = <T>(p: { value?: T }) => p.value as T;
    // The generating value within 3 of the fit's own standard errors (patients as clusters).
    const adh = fit.estimates['utilization.refillAdherence'];
    expect(adh.se).toBeGreaterThan(0);
    expect(Math.abs(v(s.utilization.refillAdherence) - 0.85) / adh.se, `refillAdherence ${adh.value} ± ${adh.se}`).toBeLessThan(3);
    // Rates and drug costs at the reference age (the kernel multiplies population.ageFactors and the
    // duration factor back): the generating values of wuhu-default within 3 standard errors.
    const generating: Record<string, number> = {
      'utilization.consultVisitsPerMonth.hypertension': 0.12,
      'utilization.consultVisitsPerMonth.diabetes': 0.2,
      'utilization.hospitalizationRate.hypertension': 0.015,
      'utilization.hospitalizationRate.diabetes': 0.025,
      'utilization.dailyDrugCost.hypertension.median': 1.2,
      'utilization.dailyDrugCost.diabetes.median': 2,
      'utilization.dailyDrugCost.hypertension.sigma': 0.6,
      'utilization.dailyDrugCost.diabetes.sigma': 0.7,
      'utilization.serviceCostPerVisit.village.median': 6,
      'utilization.hospitalizationCost.median': 6410,
      'population.signedShare': 0.7,
    };
    for (const [path, value] of Object.entries(generating)) {
      const e = fit.estimates[path];
      expect(e, path).toBeDefined();
      expect(Math.abs(e.value - value) / e.se, `${path}: ${e.value} ± ${e.se}, generated with ${value}`).toBeLessThan(3);
    }
    expect(v(s.utilization.prescriptionDays)).toEqual({ village: 30, township: 30, hospital: 30 });
    const svc = v(s.utilization.serviceCostPerVisit);
    expect(svc.village.median).toBeCloseTo(6, 0);
    expect(svc.hospital.median / 45).toBeCloseTo(1, 1);
    const pref = v(s.utilization.tierPreference);
    expect(pref.rural.village).toBeCloseTo(0.5, 1);
    expect(pref.urban.hospital).toBeCloseTo(0.35, 1);
    expect(v(s.utilization.eligibleShare)).toBeCloseTo(0.92, 2);
    expect(v(s.population.signedShare)).toBeCloseTo(0.7, 1);
    // Prevalence and the hypertension–diabetes odds ratio (fitted jointly) of wuhu-default within 3 SE.
    const prevalence: Record<string, number> = { 'hypertension.18-44': 0.13, 'hypertension.45-64': 0.37, 'hypertension.65+': 0.57, 'diabetes.18-44': 0.04, 'diabetes.45-64': 0.14, 'diabetes.65+': 0.22 };
    const ws = base.scenario.population.prevalence;
    for (const [k, value] of Object.entries(prevalence)) {
      const [c, b] = k.split('.');
      expect((ws[c].value as Record<string, number>)[b], k).toBe(value);
      const e = fit.estimates[`population.prevalence.${k}`];
      expect(Math.abs(e.value - value) / e.se, `prevalence ${k}: ${e.value} ± ${e.se}`).toBeLessThan(3);
    }
    // New registrations: the template's incidence (which generated them) at a factor within 3 SE of 1.
    for (const c of ['hypertension', 'diabetes']) {
      const f = fit.estimates[`population.incidence.${c}`];
      expect(Math.abs(f.value - 1) / f.se, `incidence factor ${c}: ${f.value} ± ${f.se}`).toBeLessThan(3);
    }
    expect(fit.params.find((l) => l.path === 'population.incidence.hemophilia')?.status).toBe('kept');
    const or = fit.estimates['population.comorbidity.hypertension+diabetes'];
    expect(Math.abs(or.value - 2) / or.se, `odds ratio ${or.value} ± ${or.se}`).toBeLessThan(3);
  });

  it('round trip: a synthetic run of the fragment reproduces the data’s totals and per-tier means within sampling error', () => {
    const d = obs.run.summary.models[0].years[0];
    const s = sim.summary.models[0].years[0];
    // The data is one realization, the fit adds the same again: |data − simulated mean| ≤ 4 sd × √(2 + 1/R).
    const within = (what: string, data: number, m: { mean: number; sd: number }) => {
      const z = Math.abs(data - m.mean) / (m.sd * Math.sqrt(2 + 1 / R) + 1e-9);
      expect(z, `${what}: data ${data}, simulated ${m.mean} ± ${m.sd}`).toBeLessThan(4);
    };
    within('total cost', d.totalCost.mean, s.totalCost);
    within('fund outlay', d.fundOutlay.mean, s.fundOutlay);
    within('patient out-of-pocket', d.patientOutOfPocket.mean, s.patientOutOfPocket);
    within('patients', d.patients.mean, s.patients);
    within('visits', d.visits.mean, s.visits);
    within('admissions', d.admissions.mean, s.admissions);
    for (const tier of ['village', 'township', 'hospital', 'offSite'] as const) {
      within(`${tier} visits`, d.byTier[tier].visits.mean, s.byTier[tier].visits);
      within(`${tier} cost per visit`, d.byTier[tier].costPerVisit.mean, s.byTier[tier].costPerVisit);
      within(`${tier} fund payment`, d.byTier[tier].fundPayment.mean, s.byTier[tier].fundPayment);
    }
  });

  it('reproduces its data: patients, visits, admissions, total cost and fund outlay within 3 standard errors', () => {
    // The data is one realization: a synthetic run's mean differs from it by the realization's own
    // spread and the mean's Monte Carlo error, SE = sd × √(1 + 1/R) (the fit, made on the same
    // realization, only brings them closer).
    const d = obs.run.summary.models[0].years[0];
    const s = sim.summary.models[0].years[0];
    for (const k of ['patients', 'visits', 'admissions', 'totalCost', 'fundOutlay'] as const) {
      const se = s[k].sd * Math.sqrt(1 + 1 / R);
      expect(se, k).toBeGreaterThan(0);
      expect(Math.abs(d[k].mean - s[k].mean) / se, `${k}: data ${d[k].mean}, simulated ${s[k].mean} ± ${s[k].sd}`).toBeLessThan(3);
    }
  });

  it('without a residence column: the urban shares and tierPreference.urban are kept from the template, as the note says', async () => {
    const lines = readFileSync(DEMO.enrollment, 'utf8').split('\n');
    const k = lines[0].split(',').indexOf('residence');
    expect(k).toBeGreaterThan(0);
    const file = write(t.dir, 'no-residence.csv', lines.map((l) => (l ? l.split(',').filter((_, i) => i !== k).join(',') : l)).join('\n'));
    const data = await loadReplayData({ enrollment: file, claims: DEMO.claims, conditions: Object.keys(base.scenario.population.prevalence) });
    const f = calibrate(data, { base, baseRef: DEMO.scenario });
    const region = f.fragment.region as { counties: { id: string; urbanShare: number }[] };
    expect(region.counties[0].urbanShare).toBe(base.scenario.region.counties[0].urbanShare);
    expect(f.params.find((l) => l.path === 'region.counties.demo.urbanShare')).toMatchObject({ status: 'kept', reason: 'the enrollment has no urban/rural residence' });
    expect(f.params.find((l) => l.path === 'utilization.tierPreference.urban')?.status).toBe('kept');
    expect(f.notes.join('\n')).toMatch(/no urban\/rural residence: the counties' urban shares and tierPreference\.urban are kept from the template/);
    const pref = (f.fragment.utilization as { tierPreference: { note?: string } }).tierPreference;
    expect(pref.note).toMatch(/urban: kept from the template/);
  });

  it('rates per condition: least squares over combinations recovers additive rates', () => {
    const r = ratesByCondition(
      [
        { mask: 1, exposure: 1000, count: 150 },
        { mask: 2, exposure: 500, count: 125 },
        { mask: 3, exposure: 200, count: 80 },
        { mask: 4, exposure: 0, count: 0 },
      ],
      3,
    );
    expect(r[0]).toBeCloseTo(0.15, 3);
    expect(r[1]).toBeCloseTo(0.25, 3);
    expect(r[2]).toBe(0);
    // A negative solution is held at 0.
    const n = ratesByCondition([{ mask: 1, exposure: 100, count: 50 }, { mask: 3, exposure: 100, count: 10 }], 2);
    expect(n[1]).toBe(0);
    expect(n[0]).toBeGreaterThan(0);
  });
});
