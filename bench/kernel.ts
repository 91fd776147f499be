/**
 * `npm run bench:kernel [scenario] [replications]`: the simulation kernel alone — `simulateBlock` over
 * every block of one scenario's replications, populations synthesized beforehand, process CPU time,
 * median of 3 runs after a warm-up — in ns per simulated patient-year and per visit, with a hash of
 * the aggregates (the same hash = the same results). This is how the kernel changes in
 * docs/performance.md were measured: run it before and after a change, alternately, on a quiet machine.
 */
import { createHash } from 'node:crypto';
import { compile, loadScenario } from '../engine/index.ts';
import { synthesizeBlock, yearKey } from '../engine/population/synthesize.ts';
import type { PatientColumns } from '../engine/population/synthesize.ts';
import { Purpose, streamKey } from '../engine/rng/stream.ts';
import { simulateBlock } from '../engine/utilization/kernel.ts';
import { Metric, newAggregates } from '../engine/utilization/metrics.ts';

const name = process.argv[2] ?? 'wuhu-default';
const R = Number(process.argv[3] ?? 2);
const c = compile(loadScenario(name).scenario);
const nF = c.region.facilities.length;
const ctx = {
  variant: c.variants[0],
  layout: c.layout,
  figures: c.figures,
  nFacilities: nF,
  offSiteFacility: c.region.offSiteFacility,
  communityOf: new Int32Array(c.region.facilities.map((f) => f.community)),
  pharmacyOf: new Int32Array(c.region.facilities.map((f) => (f.county >= 0 ? c.region.pharmacyOfCounty[f.county] : -1))),
  isCity: new Uint8Array(c.region.facilities.map((f) => (f.city ? 1 : 0))),
};
const blocks: { rep: number; b: number; pop: PatientColumns }[] = [];
for (let rep = 0; rep < R; rep++) for (let b = 0; b < c.region.blocks.length; b++) blocks.push({ rep, b, pop: synthesizeBlock(c, rep, b) });

function run() {
  const agg = newAggregates(c.years.length, nF, c.layout);
  const t0 = process.cpuUsage();
  for (const { rep, b, pop } of blocks) {
    const streams = {
      uniform: c.years.map((y) => streamKey(c.scenario.seed, rep, b, yearKey(Purpose.utilization, y))),
      normal: c.years.map((y) => streamKey(c.scenario.seed, rep, b, yearKey(Purpose.utilizationNormals, y))),
    };
    simulateBlock(ctx, pop, streams, agg);
  }
  const t = process.cpuUsage(t0);
  let patientYears = 0;
  let visits = 0;
  for (let i = 0; i < agg.length; i += c.layout.nm) {
    patientYears += agg[i + Metric.patients];
    visits += agg[i + Metric.visits];
  }
  return { seconds: (t.user + t.system) / 1e6, patientYears, visits, hash: createHash('sha1').update(new Uint8Array(agg.buffer)).digest('hex').slice(0, 12) };
}

run(); // warm-up
const runs = [run(), run(), run()].sort((a, b) => a.seconds - b.seconds);
const m = runs[1];
process.stdout.write(
  `${name}, ${R} replication(s): ${m.patientYears} patient-years, ${m.visits} visits; kernel CPU ${m.seconds.toFixed(3)} s (median of 3) = ` +
    `${((m.seconds * 1e9) / m.patientYears).toFixed(0)} ns per patient-year, ${((m.seconds * 1e9) / m.visits).toFixed(1)} ns per visit; aggregates ${m.hash}\n`,
);
