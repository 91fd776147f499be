// Replay of the demonstration data (scenarios/data/, written by fundcast's own kernel):
// reconciliation to 0 under the rules that generated it, the kernel's aggregates reproduced from the
// claims, GBK / Arrow / Parquet giving the same result as UTF-8 CSV, a rule change moving the fund
// share as it should, and bootstrap determinism.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { from, toArrowIPC } from 'arquero';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, loadScenario, parseScenarioText, simulateBlocks } from '../../engine/index.ts';
import { Metric } from '../../engine/utilization/metrics.ts';
import { loadReplayData, runReplay, writeRejects, writeReplayResults, type ReplayData, type ReplayResult } from '../../engine/replay/replay.ts';
import { bootstrapWeights } from '../../engine/replay/bootstrap.ts';
import { DEMO, tmp, write } from './helpers.ts';

const t = tmp();
afterAll(t.done);
const scenario = loadScenario(DEMO.scenario);
let data: ReplayData;
let res: ReplayResult;

beforeAll(async () => {
  data = await loadReplayData({ enrollment: DEMO.enrollment, claims: DEMO.claims, conditions: Object.keys(scenario.scenario.population.prevalence) });
  res = runReplay(data, scenario);
});

describe('reconciliation', () => {
  it('the demonstration data loads whole and reconciles to a difference of 0 under the rules that generated it', () => {
    expect(data.logs.enrollment.rejected).toBe(0);
    expect(data.logs.claims.rejected).toBe(0);
    expect(data.claims.n).toBeGreaterThan(25_000);
    expect(res.totals.differenceFen).toBe(0);
    expect(res.totals.recordedFundFen).toBeGreaterThan(0);
    for (const r of res.reconciliation) expect(r.replayedFen, `${r.facility} ${r.month}`).toBe(r.recordedFen);
    // Every month of 2025 is there (rules change on 2025-05-01: the signing waiver starts).
    expect(new Set(res.reconciliation.map((r) => r.month)).size).toBe(12);
  });

  it('reproduces the kernel: per facility and metric, the replayed aggregates equal the simulation that wrote the claims', () => {
    const c = compile(scenario.scenario);
    const sim = simulateBlocks(c, 0, 0, c.region.blocks.length);
    const region = res.region.region;
    const nF = region.facilities.length;
    const agg = {
      get: (id: string, m: number) => {
        const f = region.facilities.findIndex((x) => x.id === id);
        return f < 0 ? 0 : res.observedAgg[(0 * nF + f) * c.layout.nm + m];
      },
    };
    const simNF = c.region.facilities.length;
    const metrics = ['visits', 'opCost', 'opEligible', 'opFund', 'admissions', 'ipCost', 'ipFund', 'patients', 'signed', 'drugCost', 'refillVisits', 'capReached', 'homeOpFund', 'homeIpFund', 'longRxDrugCost'] as const;
    // The payment models' claim figures too (e.g. a points model's DIP points), by slot.
    const slots = [...metrics.map((m) => [m, Metric[m]] as const), ...Object.entries(c.layout.slot)];
    let compared = 0;
    c.region.facilities.forEach((f, fi) => {
      for (const [m, k] of slots) {
        const want = sim[(0 * simNF + fi) * c.layout.nm + k];
        expect(agg.get(f.id, k), `${f.id} ${m}`).toBe(want);
        compared++;
      }
    });
    expect(compared).toBeGreaterThan(300);
  });

  it('the region is rebuilt from the data: each village clinic under its township centre, one community with its lead hospital, city hospitals apart', () => {
    const c = compile(scenario.scenario);
    const r = res.region.region;
    expect(r.counties.map((x) => [x.id, x.residents])).toEqual([['demo', 32000]]);
    expect(r.communities.map((x) => x.id)).toEqual(['demo-1']);
    expect(r.facilities[r.communities[0].lead].id).toBe('demo-1-lead');
    for (const v of c.region.facilities.filter((f) => f.tier === 'village')) {
      const rv = r.facilities.find((f) => f.id === v.id)!;
      expect(r.facilities[rv.township].id, v.id).toBe(c.region.facilities[v.township].id);
    }
    expect(r.cityHospitals.map((h) => r.facilities[h].id).sort()).toEqual(['city-h1', 'city-h2']);
    expect(r.facilities[r.offSiteFacility].offSite).toBe(true);
  });

  it('under other rules the fund share moves: a higher ratio (and a cap that no longer binds) pays more than was recorded, per facility and month', () => {
    // With the cap in force a higher ratio can reach it sooner and pay less on a later claim, so only
    // the patient-year total would be sure to rise; with the cap lifted every claim pays at least as much.
    const richer = parseScenarioText(
      readFileSync(DEMO.scenario, 'utf8') +
        `benefits:\n  ratio: { unit: share, source: "test: +10 pp", value: { village: 0.75, township: 0.70, hospital: 0.65 } }\n  annualCap: { unit: yuan/year, source: "test: lifted", value: 1000000 }\n`,
      DEMO.scenario,
    );
    const r2 = runReplay(data, richer);
    expect(r2.totals.differenceFen).toBeGreaterThan(0);
    expect(r2.totals.recordedFundFen).toBe(res.totals.recordedFundFen);
    for (const row of r2.reconciliation) if (!row.facility.startsWith('off-site')) expect(row.replayedFen).toBeGreaterThanOrEqual(row.recordedFen);
  });

  it('GBK with Chinese headers, Arrow and Parquet give the same replay as the UTF-8 CSV', async () => {
    const gbk = await loadReplayData({ enrollment: DEMO.enrollmentGbk, claims: DEMO.claimsGbk, conditions: Object.keys(scenario.scenario.population.prevalence) });
    expect(gbk.sources.claims.encoding).toBe('gb18030');
    expect(gbk.sources.claims.columns.fund_paid).toBe('统筹基金支付');
    const rg = runReplay(gbk, scenario);
    expect(rg.totals).toEqual(res.totals);
    expect(rg.run.summary).toEqual(res.run.summary);

    // The same data as Arrow (enrollment) and Parquet (claims).
    const claimsText = gunzipSync(readFileSync(DEMO.claims)).toString('utf8').trim().split('\n');
    const head = claimsText[0].split(',');
    const cols = head.map((h, k) => claimsText.slice(1).map((l) => l.split(',')[k]));
    const pq = parquetWriteBuffer({ columnData: head.map((h, k) => ({ name: h, data: cols[k], type: 'STRING' as const })) });
    const eText = readFileSync(DEMO.enrollment, 'utf8').trim().split('\n');
    const eHead = eText[0].split(',');
    const eRows = eText.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, k) => [eHead[k], eHead[k] === 'birth_year' ? Number(v) : v])));
    const arrow = toArrowIPC(from(eRows));
    const other = await loadReplayData({ enrollment: write(t.dir, 'e.arrow', arrow), claims: write(t.dir, 'c.parquet', new Uint8Array(pq)), conditions: Object.keys(scenario.scenario.population.prevalence) });
    expect(other.sources.enrollment.format).toBe('arrow');
    expect(other.sources.claims.format).toBe('parquet');
    const ro = runReplay(other, scenario);
    expect(ro.totals).toEqual(res.totals);
    expect(ro.run.summary).toEqual(res.run.summary);
  });
});

describe('bootstrap', () => {
  it('same seed → the same replicates and files; another seed → others; replicate r does not depend on how many are run', () => {
    const a = runReplay(data, scenario, { bootstrap: 6, seed: 11 });
    const b = runReplay(data, scenario, { bootstrap: 6, seed: 11 });
    const c = runReplay(data, scenario, { bootstrap: 3, seed: 11 });
    const d = runReplay(data, scenario, { bootstrap: 6, seed: 12 });
    const outlays = (r: ReplayResult) => r.run.replications.map((x) => x.models[0].years[0].fundOutlayFen);
    expect(outlays(a)).toEqual(outlays(b));
    expect(outlays(c)).toEqual(outlays(a).slice(0, 3));
    expect(outlays(d)).not.toEqual(outlays(a));
    expect(new Set(outlays(a)).size).toBe(6);
    // The observed outlay lies within the bootstrap spread, and the summary is over the replicates.
    expect(a.run.summary.replications).toBe(6);
    const obs = res.run.replications[0].models[0].years[0].fundOutlayFen / 100;
    const s = a.run.summary.models[0].years[0].fundOutlay;
    expect(Math.abs(s.mean - obs)).toBeLessThan(4 * s.sd);
    // Reconciliation is of the data as recorded, bootstrap or not.
    expect(a.totals).toEqual(res.totals);

    // Files: identical but for run.json's timing and date.
    const d1 = join(t.dir, 'b1');
    const d2 = join(t.dir, 'b2');
    for (const [dir, r] of [[d1, a], [d2, b]] as const) {
      writeRejects(dir, data);
      writeReplayResults(dir, r, data, scenario.files);
    }
    for (const f of ['summary.json', 'replications.csv', 'facilities.csv', 'scenario.json', 'reconciliation.csv', 'replay.json', 'rejects-claims.csv']) {
      expect(readFileSync(join(d1, f), 'utf8'), f).toBe(readFileSync(join(d2, f), 'utf8'));
    }
  });

  it('resamples patients with replacement: n draws over the active patients', () => {
    const active = Int32Array.from([0, 2, 3, 5]);
    const w = bootstrapWeights(7, 0, active, 6);
    expect(w.reduce((x, y) => x + y, 0)).toBe(4);
    expect(w[1]).toBe(0);
    expect(w[4]).toBe(0);
    expect(Array.from(bootstrapWeights(7, 0, active, 6))).toEqual(Array.from(w));
  });
});
