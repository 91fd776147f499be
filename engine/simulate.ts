/**
 * One task's work: synthesize and simulate blocks [from, to) of one replication, returning their
 * facility-year aggregates. Workers and the in-process runner both call this, so a result never
 * depends on where or in what batches the blocks ran.
 */
import type { ScenarioFile } from './params/schema.ts';
import { buildRegion, type Region } from './population/region.ts';
import { synthesizeBlock } from './population/synthesize.ts';
import { Purpose, Rng, streamState } from './rng/stream.ts';
import { compileKernelParams, type KernelParams } from './utilization/kernel-params.ts';
import { simulateBlock, type Trace } from './utilization/kernel.ts';
import { newAggregates } from './utilization/metrics.ts';

/** A scenario made ready to simulate: its region and its parameters resolved per month. */
export interface Compiled {
  scenario: ScenarioFile;
  region: Region;
  /** The calendar years simulated. */
  years: number[];
  kp: KernelParams;
}

export function simulatedYears(s: ScenarioFile): number[] {
  return Array.from({ length: s.horizon.years }, (_, i) => s.horizon.startYear + i);
}

export function compile(s: ScenarioFile): Compiled {
  const years = simulatedYears(s);
  return { scenario: s, region: buildRegion(s), years, kp: compileKernelParams(s, years) };
}

/** Simulate blocks [from, to) of replication `rep`; returns facility-year aggregates. */
export function simulateBlocks(c: Compiled, rep: number, from: number, to: number, trace?: Trace): Float64Array {
  const nF = c.region.facilities.length;
  const agg = newAggregates(c.years.length, nF);
  const ctx = { kp: c.kp, nFacilities: nF, offSiteFacility: c.region.offSiteFacility };
  for (let b = from; b < to; b++) {
    const pop = synthesizeBlock(c, rep, b);
    const rng = new Rng(streamState(c.scenario.seed, rep, b, Purpose.utilization));
    simulateBlock(ctx, pop, rng, agg, trace);
  }
  return agg;
}
