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
import { DEMO, tmp } from './helpers.ts';

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
    expect(text).toMatch(/treatedShare 1/);
    const params = listDated(doc);
    expect(params.length).toBeGreaterThan(15);
    for (const { path, param } of params) {
      expect(param.source, path.join('.')).toMatch(/^calibrated/);
      expect(param.unit, path.join('.')).toBeTruthy();
    }
    const prev = (doc.population as { prevalence: Record<string, { source: string }> }).prevalence;
    expect(prev.hypertension.source).toMatch(/^calibrated from enrollment\.csv, claims\.csv\.gz, 2025, n = 2,\d{3} registered adult patients/);
    // The scenario it describes: prevalence × treatedShare = the registered share.
    const s = loadScenario(out).scenario;
    expect(s.population.treatedShare.hypertension.value).toBe(1);
    expect(s.horizon).toEqual({ startYear: 2025, years: 1 });
  });

  it('recovers the generating parameters (one realization: within a few standard errors)', () => {
    const s = loadScenario(out).scenario;
    const v = <T>(p: { value?: T }) => p.value as T;
    expect(v(s.utilization.refillAdherence)).toBeCloseTo(0.85, 1);
    expect(v(s.utilization.prescriptionDays)).toEqual({ village: 30, township: 30, hospital: 30 });
    const svc = v(s.utilization.serviceCostPerVisit);
    expect(svc.village.median).toBeCloseTo(6, 0);
    expect(svc.hospital.median / 45).toBeCloseTo(1, 1);
    const pref = v(s.utilization.tierPreference);
    expect(pref.rural.village).toBeCloseTo(0.5, 1);
    expect(pref.urban.hospital).toBeCloseTo(0.35, 1);
    expect(v(s.utilization.eligibleShare)).toBeCloseTo(0.92, 2);
    expect(v(s.population.signedShare)).toBeCloseTo(0.7, 1);
    const ht = v(s.population.prevalence.hypertension);
    expect(ht['65+'] / (0.57 * 0.41)).toBeCloseTo(1, 0);
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
